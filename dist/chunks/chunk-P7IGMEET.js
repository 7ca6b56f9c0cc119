import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{c as u}from"./chunk-6ZNB7A3B.js";import{Cn as m,Vn as d}from"./chunk-KVUFH7HN.js";import{createHash as h}from"node:crypto";var g="# baf-action cross-cluster names: begin (generated; edits are replaced)",w="# baf-action cross-cluster names: end",$="baf-action/corefile-sha256",y=/^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;function k(r){let t=new Map;for(let n of r)for(let a of n.dnsSuffixes){let e=a.toLowerCase().replace(/^\*\./,"").replace(/\.$/,"");if(e==="cluster.local"||e.endsWith(".cluster.local"))continue;if(!y.test(e))throw new Error(`cluster ${n.name}: external_url_suffix "${a}" is not a DNS name`);if(!n.gatewayAddress)throw new Error(`cluster ${n.name}: no gateway address for ${e}`);let s=t.get(e);if(s&&s.cluster!==n.name)throw new Error(`external_url_suffix ${e} is served by two clusters (${s.cluster} and ${n.name}); give each cluster its own suffix`);t.set(e,{zone:e,address:n.gatewayAddress,cluster:n.name})}return[...t.values()].sort((n,a)=>n.zone.localeCompare(a.zone))}function N(r){return r.replace(/[.*+?^${}()|[\]\\]/g,"\\$&")}function x(r){return r.map(t=>`${t.zone}:53 {
    errors
    template IN A ${t.zone} {
        match "^(.+\\.)?${N(t.zone)}\\.$"
        answer "{{ .Name }} 60 IN A ${t.address}"
    }
    template ANY ANY ${t.zone} {
        rcode NOERROR
    }
    cache 30
}`).join(`
`)}function b(r,t){let n=r.replace(/\r\n/g,`
`).split(`
`),a=[],e=!1;for(let o of n)o.trim()===g?e=!0:o.trim()===w?e=!1:e||a.push(o);let s=a.join(`
`).replace(/\n+$/,"");return t.length===0?s+`
`:`${s}
${g}
${x(t)}
${w}
`}function C(r){return h("sha256").update(r).digest("hex").slice(0,16)}async function E(r,t){let n=r.makeApiClient(d),a=r.makeApiClient(m);for(let e=1;;e++)try{let s=await n.readNamespacedConfigMap({name:"coredns",namespace:"kube-system"}),o=s.data?.Corefile;if(o===void 0)throw new Error("kube-system/coredns has no Corefile key");let i=b(o,t),l=i!==o;l&&(s.data={...s.data,Corefile:i},await n.replaceNamespacedConfigMap({name:"coredns",namespace:"kube-system",body:s}));let p=await a.readNamespacedDeployment({name:"coredns",namespace:"kube-system"}),c=p.spec.template,f=C(i);return c.metadata?.annotations?.[$]!==f&&(c.metadata={...c.metadata,annotations:{...c.metadata?.annotations,[$]:f}},await a.replaceNamespacedDeployment({name:"coredns",namespace:"kube-system",body:p})),{corefile:i,changed:l}}catch(s){if(u(s)!==409||e>=5)throw s;await new Promise(o=>setTimeout(o,100*e))}}export{k as a,b,E as c};
