import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b as s}from"./chunk-BCASRQSN.js";import"./chunk-DNQ7ACGV.js";import"./chunk-D6GBCUMY.js";import"./chunk-3FY63VGK.js";import{a as n}from"./chunk-EYRDPFAK.js";import"./chunk-7RELMUHS.js";var g={usage:`usage: baf validate FILE... [--format text|json]

Checks each Bevel network.yaml without touching a cluster. Prints one line per problem,
FILE:LINE:COL: error|warning: MESSAGE (or a JSON list with --format json).
Exit status: 0 no error, 1 at least one error, 2 usage error or unreadable file.`,options:{format:{type:"string",default:"text"}},async run({values:i,positionals:o,log:l}){if(o.length===0)throw new n("name at least one network.yaml file");let r=i.format;if(r!=="text"&&r!=="json")throw new n(`--format must be text or json (got "${String(r)}")`);let e=await s(o);if(r==="json")process.stdout.write(JSON.stringify(e.diagnostics.map(t=>({file:t.file,line:t.line,col:t.col,severity:t.severity,message:t.message,path:t.path})),null,2)+`
`);else{for(let t of e.diagnostics)process.stdout.write(a(t)+`
`);l.info(`${o.length} file(s): ${e.errorCount} error(s), ${e.warningCount} warning(s)`)}return e.errorCount>0?1:0}};export{g as validate};
