import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a as u}from"./chunk-O5UZL6L3.js";import{c as w}from"./chunk-YML7BBWT.js";import{a as m,b as l,c as d,e as i}from"./chunk-EYRDPFAK.js";import"./chunk-7RELMUHS.js";import{parseArgs as g}from"node:util";var p={validate:{summary:"check network.yaml files; one line per problem",load:async()=>(await import("./validate-YPAJSEIQ.js")).validate},plan:{summary:"show what would be created where, touching no cluster",load:async()=>(await import("./plan-ULRPLY2M.js")).plan},up:{summary:"provision clusters, deploy the network, probe and report",load:async()=>(await import("./pipeline-YRCXKDYC.js")).up},probe:{summary:"run the connectivity matrix against a deployed network, or probe one endpoint",load:async()=>(await import("./pipeline-YRCXKDYC.js")).probe},report:{summary:"render the topology report (Markdown, JSON, HTML)",load:async()=>(await import("./pipeline-YRCXKDYC.js")).report},down:{summary:"collect diagnostics and tear everything down",load:async()=>(await import("./pipeline-YRCXKDYC.js")).down},sweep:{summary:"reclaim PR previews whose PR is closed or whose expiry passed",load:async()=>(await import("./pipeline-YRCXKDYC.js")).sweep},cluster:{summary:"create or delete clusters (sim) by name or for a network",load:async()=>(await import("./cluster-MLWPEV6X.js")).cluster}};function c(){let o=Math.max(...Object.keys(p).map(t=>t.length));return`usage: baf COMMAND [options]

Deploy, probe and report Bevel network.yaml networks on Kubernetes.

commands:
${Object.entries(p).map(([t,a])=>`  ${t.padEnd(o)}  ${a.summary}`).join(`
`)}

baf COMMAND --help shows a command's options; baf --version prints the version.
`}async function h(o){let[r,...t]=o;if(r===void 0||r==="--help"||r==="-h"||r==="help")return process.stdout.write(c()),r===void 0?2:0;if(r==="--version"||r==="-v"||r==="version")return process.stdout.write(`baf ${w()}
`),0;let a=p[r];if(!a)return process.stderr.write(`baf: unknown command "${r}"

${c()}`),2;let n=await a.load(),s;try{s=g({args:t,options:{...n.options,help:{type:"boolean",short:"h"},verbose:{type:"boolean"}},allowPositionals:!0,strict:!0})}catch(e){return process.stderr.write(`baf ${r}: ${i(e)}

${n.usage}
`),2}if(s.values.help)return process.stdout.write(n.usage+`
`),0;let y=new u(process.stderr,!!s.values.verbose);try{return await n.run({values:s.values,positionals:s.positionals,log:y})}catch(e){if(e instanceof m)return process.stderr.write(`baf ${r}: ${e.message}

${n.usage}
`),2;if(e instanceof Error&&e.name==="UnreadableFileError")return process.stderr.write(`baf ${r}: ${e.message}
`),2;let f=e instanceof l||e instanceof d||e instanceof Error&&["DeployFailed","ProbesFailed","Interrupted"].includes(e.name),b=e instanceof Error&&s.values.verbose&&!f?e.stack??e.message:i(e);return process.stderr.write(`baf ${r}: ${b}
`),e instanceof Error&&e.name==="Interrupted"?130:1}}h(process.argv.slice(2)).then(o=>{process.exitCode=o},o=>{process.stderr.write(`baf: ${i(o)}
`),process.exitCode=1});export{h as main};
