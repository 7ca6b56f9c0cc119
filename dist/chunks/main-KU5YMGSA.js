import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a as u}from"./chunk-O5UZL6L3.js";import{c as f}from"./chunk-YML7BBWT.js";import{a as c,b as d,c as l,d as i}from"./chunk-JUBBPB3E.js";import"./chunk-7RELMUHS.js";import{parseArgs as b}from"node:util";var p={validate:{summary:"check network.yaml files; one line per problem",load:async()=>(await import("./validate-CKRDFBT2.js")).validate},plan:{summary:"show what would be created where, touching no cluster",load:async()=>(await import("./plan-VJJ3DCPV.js")).plan},up:{summary:"provision clusters, deploy the network, probe and report",load:async()=>(await import("./pipeline-MU4XVAEF.js")).up},probe:{summary:"run the connectivity matrix against a deployed network, or probe one endpoint",load:async()=>(await import("./pipeline-MU4XVAEF.js")).probe},report:{summary:"render the topology report (Markdown, JSON, HTML)",load:async()=>(await import("./pipeline-MU4XVAEF.js")).report},down:{summary:"collect diagnostics and tear everything down",load:async()=>(await import("./pipeline-MU4XVAEF.js")).down},cluster:{summary:"create or delete clusters (sim) by name or for a network",load:async()=>(await import("./cluster-XD2VW2MM.js")).cluster}};function m(){let o=Math.max(...Object.keys(p).map(s=>s.length));return`usage: baf COMMAND [options]

Deploy, probe and report Bevel network.yaml networks on Kubernetes.

commands:
${Object.entries(p).map(([s,a])=>`  ${s.padEnd(o)}  ${a.summary}`).join(`
`)}

baf COMMAND --help shows a command's options; baf --version prints the version.
`}async function g(o){let[r,...s]=o;if(r===void 0||r==="--help"||r==="-h"||r==="help")return process.stdout.write(m()),r===void 0?2:0;if(r==="--version"||r==="-v"||r==="version")return process.stdout.write(`baf ${f()}
`),0;let a=p[r];if(!a)return process.stderr.write(`baf: unknown command "${r}"

${m()}`),2;let n=await a.load(),t;try{t=b({args:s,options:{...n.options,help:{type:"boolean",short:"h"},verbose:{type:"boolean"}},allowPositionals:!0,strict:!0})}catch(e){return process.stderr.write(`baf ${r}: ${i(e)}

${n.usage}
`),2}if(t.values.help)return process.stdout.write(n.usage+`
`),0;let w=new u(process.stderr,!!t.values.verbose);try{return await n.run({values:t.values,positionals:t.positionals,log:w})}catch(e){if(e instanceof c)return process.stderr.write(`baf ${r}: ${e.message}

${n.usage}
`),2;if(e instanceof Error&&e.name==="UnreadableFileError")return process.stderr.write(`baf ${r}: ${e.message}
`),2;if(e instanceof d||e instanceof l||e instanceof Error&&["DeployFailed","ProbesFailed","Interrupted"].includes(e.name))return process.stderr.write(`baf ${r}: ${e.message}
`),e.name==="Interrupted"?130:1;let y=e instanceof Error&&t.values.verbose?e.stack??e.message:i(e);return process.stderr.write(`baf ${r}: ${y}
`),1}}g(process.argv.slice(2)).then(o=>{process.exitCode=o},o=>{process.stderr.write(`baf: ${i(o)}
`),process.exitCode=1});export{g as main};
