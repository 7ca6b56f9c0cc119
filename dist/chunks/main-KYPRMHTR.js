import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a as C}from"./chunk-O5UZL6L3.js";import{a as p,b as x,c as P,d as b,e as u,f as E,g as f,h as j,i as N,n as S,o as I,r as O,s as R}from"./chunk-QJZFOSOA.js";import{b as g,c as D}from"./chunk-GT4RENRC.js";import"./chunk-IZPPEW7G.js";import"./chunk-7RELMUHS.js";import{parseArgs as _}from"node:util";import{chmod as H,copyFile as J}from"node:fs/promises";var y=["sim","kind","existing","eks","aks","gke"];function $(r){if(!y.includes(r))throw new p(`--provider must be one of ${y.join(", ")} (got "${String(r)}")`);return r}var k={"state-dir":{type:"string",default:".baf"}},F={summary:"provision clusters, deploy the network, probe and report",usage:`usage: baf up [FILE] [--provider sim|kind|existing|eks|aks|gke] [--state-dir DIR] [--keep]

Runs the whole pipeline: validate, plan, provision, deploy, probe, report. When a phase fails,
diagnostics are collected into DIR/diagnostics and the clusters are removed unless --keep.
FILE defaults to the embedded two-cluster Besu example; DIR defaults to .baf/.`,options:{provider:{type:"string",default:"sim"},keep:{type:"boolean",default:!1},...k},async run({values:r,positionals:e,log:o}){if(e.length>1)throw new p("give one network file");return await I({networkFile:e[0]??g(),provider:$(r.provider),stateDir:String(r["state-dir"]),keep:!!r.keep,log:o}),0}},M={summary:"collect diagnostics and tear everything down",usage:`usage: baf down [--state-dir DIR]

Collects diagnostics into DIR/diagnostics, then deletes every cluster the state in DIR records.`,options:k,async run({values:r,positionals:e,log:o}){if(e.length>0)throw new p("down reads the state directory and takes no file");return await O(String(r["state-dir"]),o),0}};function A(r,e){return{summary:e,usage:`usage: baf ${r} [--state-dir DIR]

${e}, from the state "baf up" wrote in DIR (default .baf/).`,options:k,async run({values:o,positionals:n}){if(n.length>0)throw new p(`${r} reads the state directory and takes no file`);return R(r,String(o["state-dir"]))}}}var L=A("probe","run the connectivity matrix against a deployed network"),B=A("report","render the topology report");var V={summary:"create or delete clusters (sim) by name or for a network",usage:`usage: baf cluster create --provider sim (--name NAME [--nodes N] [--kubeconfig PATH] | --network FILE) [--state-dir DIR]
       baf cluster delete --provider sim (--name NAME | --network FILE) [--state-dir DIR]

create returns when the cluster is ready and leaves it running; --kubeconfig copies its admin
kubeconfig (0600) to PATH. delete stops its processes and removes its directory.
Clusters live under DIR (default .baf/).`,options:{provider:{type:"string",default:"sim"},name:{type:"string"},nodes:{type:"string",default:"1"},kubeconfig:{type:"string"},network:{type:"string"},"state-dir":{type:"string",default:".baf"}},async run({values:r,positionals:e,log:o}){let[n,...t]=e;if(n!=="create"&&n!=="delete"||t.length>0)throw new p('expected "create" or "delete"');let a=r.name,i=r.network;if(!!a==!!i)throw new p("give either --name or --network");let l=Number(r.nodes);if(!Number.isInteger(l)||l<1||l>100)throw new p(`--nodes must be a whole number from 1 to 100 (got "${String(r.nodes)}")`);if(a&&!/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(a))throw new p(`--name "${a}" must be a DNS-1123 label of at most 40 characters`);if(r.kubeconfig&&!a)throw new p("--kubeconfig goes with --name (with --network, every cluster has its own kubeconfig in the state directory)");let d=i?(await S(i,o)).plan.clusters:[{name:a,context:a,organizations:[],namespaces:[],workerNodes:l,gateway:{kind:"none",namespace:"",listeners:[]},dnsSuffixes:[]}],c=await N($(r.provider)),s={workDir:String(r["state-dir"]),log:o};if(n==="create"){let m=await c.create(d,s);for(let h of m)process.stdout.write(`${h.name}	${h.kubeconfig}	${h.server??""}
`);r.kubeconfig&&(await J(m[0].kubeconfig,String(r.kubeconfig)),await H(String(r.kubeconfig),384))}else await c.delete(d.map(m=>({name:m.name,provider:c.name,kubeconfig:"",context:m.name,limitations:[]})),s);return 0}};function U(r){let e=[],o=r.network;e.push(`${o.file}: ${o.platform} ${o.platformVersion}${o.consensus?` (${o.consensus})`:""}, proxy ${o.proxy}, ${r.clusters.length} cluster(s)`),o.deployable||e.push(`  note: ${o.platform} is validated and planned; deploying it is not available in this version`),r.clusters.forEach((t,a)=>{let i=a===r.clusters.length-1,l=i?"\u2514\u2500":"\u251C\u2500",d=i?"   ":"\u2502  ";if(e.push(`${l} cluster ${t.name} (context ${t.context}, ${t.workerNodes} worker node(s))`),e.push(`${d}\u251C\u2500 organisations: ${t.organizations.join(", ")}`),e.push(`${d}\u251C\u2500 namespaces: ${t.namespaces.join(", ")}`),t.gateway.kind==="none")e.push(`${d}\u251C\u2500 gateway: none (nodes reached by Service names)`);else{e.push(`${d}\u251C\u2500 gateway: ${t.gateway.kind} in ${t.gateway.namespace}, serving ${t.dnsSuffixes.map(s=>`*.${s}`).join(", ")}`);for(let s of t.gateway.listeners){let m=s.host?`${s.protocol==="tls"?"SNI":"Host"} ${s.host}`:"any";e.push(`${d}\u2502    :${s.port}/${s.protocol}${s.passthrough?" passthrough":""} ${m} -> ${s.target.service}.${s.target.namespace}:${s.target.port}`)}}let c=r.releases.filter(s=>s.cluster===t.name);e.push(`${d}\u2514\u2500 releases (${c.length}):`);for(let s of c)e.push(`${d}     wave ${s.wave}  ${s.namespace}/${s.name}  ${s.chart}${s.dependsOn.length?`  after ${s.dependsOn.length} release(s)`:""}`)});let n=r.probes.filter(t=>t.expect==="allow").length;e.push(`probes: ${r.probes.length} (${n} must connect, ${r.probes.length-n} must be refused)`);for(let t of r.probes)e.push(`  ${t.expect==="allow"?"+":"-"} ${t.from} -> ${t.target.host}:${t.target.port} [${t.layers.join(",")}]${t.required?"":" (optional)"}`);return e.join(`
`)}var z={summary:"show what would be created where, touching no cluster",usage:`usage: baf plan [FILE] [--json]

Validates FILE (default: the embedded two-cluster Besu example) and prints the plan: clusters,
namespaces, gateway listeners, releases in dependency order, node endpoints and probes.
--json prints the plan document described in docs/plan.md.`,options:{json:{type:"boolean",default:!1}},async run({values:r,positionals:e}){if(e.length>1)throw new p("give one network file");let o=e[0]??g(),n=await f([o]);for(let a of n.diagnostics)process.stderr.write(u(a)+`
`);if(n.errorCount>0)return 1;let t=j(n.networks[0]);return process.stdout.write((r.json?JSON.stringify(t,null,2):U(t))+`
`),0}};var T={summary:"check network.yaml files; one line per problem",usage:`usage: baf validate FILE... [--format text|json]

Checks each Bevel network.yaml without touching a cluster. Prints one line per problem,
FILE:LINE:COL: error|warning: MESSAGE (or a JSON list with --format json).
Exit status: 0 no error, 1 at least one error, 2 usage error or unreadable file.`,options:{format:{type:"string",default:"text"}},async run({values:r,positionals:e,log:o}){if(e.length===0)throw new p("name at least one network.yaml file");let n=r.format;if(n!=="text"&&n!=="json")throw new p(`--format must be text or json (got "${String(n)}")`);let t=await f(e);if(n==="json")process.stdout.write(JSON.stringify(t.diagnostics.map(a=>({file:a.file,line:a.line,col:a.col,severity:a.severity,message:a.message,path:a.path})),null,2)+`
`);else{for(let a of t.diagnostics)process.stdout.write(u(a)+`
`);o.info(`${e.length} file(s): ${t.errorCount} error(s), ${t.warningCount} warning(s)`)}return t.errorCount>0?1:0}};var w={validate:T,plan:z,up:F,probe:L,report:B,down:M,cluster:V};function v(){let r=Math.max(...Object.keys(w).map(o=>o.length));return`usage: baf COMMAND [options]

Deploy, probe and report Bevel network.yaml networks on Kubernetes.

commands:
${Object.entries(w).map(([o,n])=>`  ${o.padEnd(r)}  ${n.summary}`).join(`
`)}

baf COMMAND --help shows a command's options; baf --version prints the version.
`}async function q(r){let[e,...o]=r;if(e===void 0||e==="--help"||e==="-h"||e==="help")return process.stdout.write(v()),e===void 0?2:0;if(e==="--version"||e==="-v"||e==="version")return process.stdout.write(`baf ${D()}
`),0;let n=w[e];if(!n)return process.stderr.write(`baf: unknown command "${e}"

${v()}`),2;let t;try{t=_({args:o,options:{...n.options,help:{type:"boolean",short:"h"},verbose:{type:"boolean"}},allowPositionals:!0,strict:!0})}catch(i){return process.stderr.write(`baf ${e}: ${b(i)}

${n.usage}
`),2}if(t.values.help)return process.stdout.write(n.usage+`
`),0;let a=new C(process.stderr,!!t.values.verbose);try{return await n.run({values:t.values,positionals:t.positionals,log:a})}catch(i){return i instanceof p?(process.stderr.write(`baf ${e}: ${i.message}

${n.usage}
`),2):i instanceof E?(process.stderr.write(`baf ${e}: ${i.message}
`),2):i instanceof x||i instanceof P||i instanceof Error&&i.name==="DeployFailed"?(process.stderr.write(`baf ${e}: ${i.message}
`),1):(process.stderr.write(`baf ${e}: ${i instanceof Error?i.stack??i.message:String(i)}
`),1)}}q(process.argv.slice(2)).then(r=>{process.exitCode=r},r=>{process.stderr.write(`baf: ${b(r)}
`),process.exitCode=1});export{q as main};
