#!/usr/bin/env node
import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a as p,b as y,c as v,d as h,e as m,f as x,g as u,h as k,n as j}from"./chunks/chunk-67T276DX.js";import"./chunks/chunk-2I6WNZYP.js";import{parseArgs as B}from"node:util";var d=class{constructor(e=process.stderr,o=!1){this.out=e;this.verbose=o}out;verbose;info(e){this.out.write(e+`
`)}debug(e){this.verbose&&this.out.write(`debug: ${e}
`)}warning(e,o){this.out.write(`${P(o)}warning: ${e}
`)}error(e,o){this.out.write(`${P(o)}error: ${e}
`)}async group(e,o){let n=Date.now();this.out.write(`==> ${e}
`);try{return await o()}finally{this.out.write(`<== ${e} (${((Date.now()-n)/1e3).toFixed(1)}s)
`)}}};function P(t){return t?.file?`${t.file}:${t.startLine??1}:${t.startColumn??1}: `:""}import{existsSync as U,readFileSync as E}from"node:fs";import{dirname as C,join as w}from"node:path";import{fileURLToPath as S}from"node:url";function F(t=import.meta.url){let e=C(S(t));for(let o=0;o<8;o++){let n=w(e,"package.json");if(U(n))try{if(JSON.parse(E(n,"utf8")).name==="baf-action")return e}catch{}let r=C(e);if(r===e)break;e=r}throw new Error('cannot find the baf-action package root (package.json named "baf-action") above '+S(t))}function c(){return w(F(),"examples","besu-2-clusters.yaml")}function N(){return JSON.parse(E(w(F(),"package.json"),"utf8")).version}function f(t,e,o){return{summary:e,usage:t==="up"?`usage: baf up [FILE] [--provider sim|kind|existing|eks|aks|gke] [--state-dir DIR]

${o}
FILE defaults to the embedded two-cluster Besu example; --state-dir defaults to .baf/.`:`usage: baf ${t} [--state-dir DIR]

${o}
--state-dir is the directory "baf up" used (default .baf/).`,options:{provider:{type:"string",default:"sim"},"state-dir":{type:"string",default:".baf"}},async run({values:n,positionals:r,log:i}){if(r.length>(t==="up"?1:0))throw new p(t==="up"?"give one network file":`${t} reads the state directory and takes no file`);return await j({stage:t,networkFile:r[0]??c(),provider:String(n.provider),stateDir:String(n["state-dir"]),log:i}),0}}}var A=f("up","provision clusters, deploy the network, probe and report","Runs the whole pipeline: validate, plan, provision, deploy, probe, report."),O=f("probe","run the connectivity matrix against a deployed network","Probes every path of the plan in the state directory."),D=f("report","render the topology report from a state directory","Writes report.md, report.json and report.html."),L=f("down","collect diagnostics and tear everything down","Deletes what the state directory says was created.");function T(t){let e=[],o=t.network;e.push(`${o.file}: ${o.platform} ${o.platformVersion}${o.consensus?` (${o.consensus})`:""}, proxy ${o.proxy}, ${t.clusters.length} cluster(s)`),o.deployable||e.push(`  note: ${o.platform} is validated and planned; deploying it is not available in this version`),t.clusters.forEach((r,i)=>{let a=i===t.clusters.length-1,R=a?"\u2514\u2500":"\u251C\u2500",l=a?"   ":"\u2502  ";if(e.push(`${R} cluster ${r.name} (context ${r.context}, ${r.workerNodes} worker node(s))`),e.push(`${l}\u251C\u2500 organisations: ${r.organizations.join(", ")}`),e.push(`${l}\u251C\u2500 namespaces: ${r.namespaces.join(", ")}`),r.gateway.kind==="none")e.push(`${l}\u251C\u2500 gateway: none (nodes reached by Service names)`);else{e.push(`${l}\u251C\u2500 gateway: ${r.gateway.kind} in ${r.gateway.namespace}, serving ${r.dnsSuffixes.map(s=>`*.${s}`).join(", ")}`);for(let s of r.gateway.listeners){let J=s.host?`${s.protocol==="tls"?"SNI":"Host"} ${s.host}`:"any";e.push(`${l}\u2502    :${s.port}/${s.protocol}${s.passthrough?" passthrough":""} ${J} -> ${s.target.service}.${s.target.namespace}:${s.target.port}`)}}let b=t.releases.filter(s=>s.cluster===r.name);e.push(`${l}\u2514\u2500 releases (${b.length}):`);for(let s of b)e.push(`${l}     wave ${s.wave}  ${s.namespace}/${s.name}  ${s.chart}${s.dependsOn.length?`  after ${s.dependsOn.length} release(s)`:""}`)});let n=t.probes.filter(r=>r.expect==="allow").length;e.push(`probes: ${t.probes.length} (${n} must connect, ${t.probes.length-n} must be refused)`);for(let r of t.probes)e.push(`  ${r.expect==="allow"?"+":"-"} ${r.from} -> ${r.target.host}:${r.target.port} [${r.layers.join(",")}]${r.required?"":" (optional)"}`);return e.join(`
`)}var M={summary:"show what would be created where, touching no cluster",usage:`usage: baf plan [FILE] [--json]

Validates FILE (default: the embedded two-cluster Besu example) and prints the plan: clusters,
namespaces, gateway listeners, releases in dependency order, node endpoints and probes.
--json prints the plan document described in docs/plan.md.`,options:{json:{type:"boolean",default:!1}},async run({values:t,positionals:e}){if(e.length>1)throw new p("give one network file");let o=e[0]??c(),n=await u([o]);for(let i of n.diagnostics)process.stderr.write(m(i)+`
`);if(n.errorCount>0)return 1;let r=k(n.networks[0]);return process.stdout.write((t.json?JSON.stringify(r,null,2):T(r))+`
`),0}};var I={summary:"check network.yaml files; one line per problem",usage:`usage: baf validate FILE... [--format text|json]

Checks each Bevel network.yaml without touching a cluster. Prints one line per problem,
FILE:LINE:COL: error|warning: MESSAGE (or a JSON list with --format json).
Exit status: 0 no error, 1 at least one error, 2 usage error or unreadable file.`,options:{format:{type:"string",default:"text"}},async run({values:t,positionals:e,log:o}){if(e.length===0)throw new p("name at least one network.yaml file");let n=t.format;if(n!=="text"&&n!=="json")throw new p(`--format must be text or json (got "${String(n)}")`);let r=await u(e);if(n==="json")process.stdout.write(JSON.stringify(r.diagnostics.map(i=>({file:i.file,line:i.line,col:i.col,severity:i.severity,message:i.message,path:i.path})),null,2)+`
`);else{for(let i of r.diagnostics)process.stdout.write(m(i)+`
`);o.info(`${e.length} file(s): ${r.errorCount} error(s), ${r.warningCount} warning(s)`)}return r.errorCount>0?1:0}};var g={validate:I,plan:M,up:A,probe:O,report:D,down:L};function $(){let t=Math.max(...Object.keys(g).map(o=>o.length));return`usage: baf COMMAND [options]

Deploy, probe and report Bevel network.yaml networks on Kubernetes.

commands:
${Object.entries(g).map(([o,n])=>`  ${o.padEnd(t)}  ${n.summary}`).join(`
`)}

baf COMMAND --help shows a command's options; baf --version prints the version.
`}async function V(t){let[e,...o]=t;if(e===void 0||e==="--help"||e==="-h"||e==="help")return process.stdout.write($()),e===void 0?2:0;if(e==="--version"||e==="-v"||e==="version")return process.stdout.write(`baf ${N()}
`),0;let n=g[e];if(!n)return process.stderr.write(`baf: unknown command "${e}"

${$()}`),2;let r;try{r=B({args:o,options:{...n.options,help:{type:"boolean",short:"h"},verbose:{type:"boolean"}},allowPositionals:!0,strict:!0})}catch(a){return process.stderr.write(`baf ${e}: ${h(a)}

${n.usage}
`),2}if(r.values.help)return process.stdout.write(n.usage+`
`),0;let i=new d(process.stderr,!!r.values.verbose);try{return await n.run({values:r.values,positionals:r.positionals,log:i})}catch(a){return a instanceof p?(process.stderr.write(`baf ${e}: ${a.message}

${n.usage}
`),2):a instanceof x?(process.stderr.write(`baf ${e}: ${a.message}
`),2):a instanceof y||a instanceof v?(process.stderr.write(`baf ${e}: ${a.message}
`),1):(process.stderr.write(`baf ${e}: ${a instanceof Error?a.stack??a.message:String(a)}
`),1)}}V(process.argv.slice(2)).then(t=>{process.exitCode=t},t=>{process.stderr.write(`baf: ${h(t)}
`),process.exitCode=1});export{V as main};
