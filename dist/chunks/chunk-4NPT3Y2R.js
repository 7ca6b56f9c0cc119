import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a as w,b as c,c as y,e as u,f as v}from"./chunk-DYCD3WDA.js";import{mkdir as U,writeFile as f}from"node:fs/promises";import{join as h}from"node:path";import{readFile as A}from"node:fs/promises";import{createRequire as C}from"node:module";import{fileURLToPath as D}from"node:url";var g="mermaid.min.js";function I(t=import.meta.url){let e=[new URL(`./assets/${g}`,t),new URL(`../assets/${g}`,t)].map(n=>D(n));try{e.push(C(t).resolve(`mermaid/dist/${g}`))}catch{}return e}var k;function R(){return k??=(async()=>{for(let t of I())try{return{path:t,text:await A(t,"utf8")}}catch{}})(),k}var N={"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"};function a(t){return/[&<>"']/.test(t)?t.replace(/[&<>"']/g,e=>N[e]):t}function z(t){return JSON.stringify(t).replace(/</g,"\\u003c").replace(/\u2028/g,"\\u2028").replace(/\u2029/g,"\\u2029")}function H(t){return t.replace(/<(\/?script|!--)/gi,"\\x3C$1")}var B={pass:"\u2705",denied:"\u{1F6AB}",fail:"\u274C",inconclusive:"\u26A0\uFE0F",skipped:"\u23ED",planned:"\u2026",none:"\u2014"};function J(t){if(!t||t.status==="none")return'<td class="none">\u2014</td>';if(t.status==="planned")return`<td class="planned">${t.planned} planned</td>`;let e=[`${B[t.status]} ${t.passed}/${t.total-t.skipped}`];return t.failedLayers.length>0&&e.push(a(t.failedLayers.join(", "))),t.inconclusive>0&&e.push(`${t.inconclusive} inconclusive`),t.skipped>0&&e.push(`${t.skipped} skipped`),t.p50Ms!==void 0&&e.push(`${Math.round(t.p50Ms)} ms`),`<td class="${t.status}">${e.join(" \xB7 ")}</td>`}function F(t){let e=(t.layers??[]).map(r=>`<tr class="${r.status}"><td>${a(r.layer)}</td><td>${a(r.status)}</td><td>${r.ms!==void 0?`${Math.round(r.ms)} ms`:""}</td><td>${a(r.detail??"")}</td></tr>`).join(""),n=[t.reason,t.attempts!==void 0?`${t.attempts} attempt(s)`:"",t.ms!==void 0?`${Math.round(t.ms)} ms`:""].filter(Boolean).map(r=>a(String(r))).join(" \xB7 ");return`<details class="failure ${t.outcome}" open><summary>${t.outcome==="fail"?"\u274C":"\u26A0\uFE0F"} <b>${a(t.title)}</b>${t.layer?` failed at <b>${a(t.layer)}</b>`:""}${t.required?"":" \xB7 optional"}</summary>
${n?`<p>${n}</p>`:""}${e?`<table><tr><th>layer</th><th>result</th><th>time</th><th>detail</th></tr>${e}</table>`:t.detail?`<p>${a(t.detail)}</p>`:""}${t.hint?`<p><b>Hint:</b> ${a(t.hint)}</p>`:""}
</details>`}var P=`body{font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;margin:24px auto;max-width:1400px;padding:0 16px}
h1{font-size:20px}h1.pass{color:#1a7f37}h1.fail{color:#cf222e}h1.incomplete{color:#9a6700}h2{font-size:16px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}
td.fail{background:#ffebe9}td.pass{background:#dafbe1}td.denied{background:#f6f8fa}td.inconclusive{background:#fff8c5}td.planned{color:#57606a}
.diagram{overflow:auto;border:1px solid #d0d7de;border-radius:6px;padding:12px;min-height:80px;cursor:zoom-in}.diagram svg{max-width:100%;height:auto}.diagram.full{cursor:zoom-out}.diagram.full svg{max-width:none}
.error{color:#cf222e;white-space:pre-wrap}pre{background:#f6f8fa;padding:8px;overflow:auto}details.failure{margin:6px 0;border-left:3px solid #cf222e;padding-left:8px}
details.failure.inconclusive{border-color:#9a6700}.missing{background:#fff8c5;padding:8px 12px;border-radius:6px}footer{color:#57606a;margin-top:32px;font-size:12px}`,W=`(async () => {
  const diagrams = JSON.parse(document.getElementById('baf-diagram').textContent).diagrams
  const done = (state, box, message) => {
    document.body.dataset.mermaid = state
    if (message) { const p = document.createElement('p'); p.className = 'error'; p.id = 'diagram-error'; p.textContent = message; box.replaceChildren(p) }
  }
  const first = document.getElementById(diagrams[0].box)
  if (typeof mermaid === 'undefined') return done('unavailable', first, 'The Mermaid library was not found when this page was written; the diagram text is below.')
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 2000000, maxEdges: 20000, flowchart: { useMaxWidth: false } })
  for (const d of diagrams) {
    const box = document.getElementById(d.box)
    try {
      await mermaid.parse(d.text)
      const { svg } = await mermaid.render(d.svg, d.text)
      box.innerHTML = svg
    } catch (e) {
      return done('error', box, 'Mermaid could not draw the diagram: ' + (e && e.message ? e.message : String(e)))
    }
  }
  done('ok')
})()`;function j(t,e={}){let n=c(t),r=n.form==="compact"?c(t,{form:"full"}):void 0,s=[{box:"diagram",svg:"baf-topology",text:n.text},...r?[{box:"diagram-full",svg:"baf-topology-full",text:r.text}]:[]],{rows:d,cols:l,cells:o}=t.matrix,M=new Map(o.map(i=>[`${i.from}\0${i.to}`,i])),S=`<table class="matrix"><tr><th>from \\ to</th>${l.map(i=>`<th>${a(i)}</th>`).join("")}</tr>${d.map(i=>`<tr><th>${a(i)}</th>${l.map(m=>J(M.get(`${i}\0${m}`))).join("")}</tr>`).join("")}</table>`,E=`<table><tr><th>cluster</th><th>provider</th><th>Kubernetes</th><th>gateway</th><th>organisations and nodes</th><th>releases</th></tr>${t.clusters.map(i=>`<tr><td>${a(i.name)}</td><td>${a(i.provider??"\u2014")}</td><td>${a(i.kubernetesVersion??"\u2014")}</td><td>${a(i.gateway.kind)} (${i.gateway.listeners} routes)</td><td>${i.organizations.map(m=>`<b>${a(m.name)}</b>: ${m.nodes.map(p=>a(p.name)+(p.release?` (${a(p.release)})`:"")).join(", ")||"no node"}`).join("<br>")}</td><td>${t.counts.releases?`${i.releases.deployed}/${i.releases.total} deployed${i.releases.failed?`, ${i.releases.failed} failed`:""}`:"\u2014"}</td></tr>`).join("")}</table>`,L=t.timings.length?`<table><tr><th>phase</th><th>outcome</th><th>time</th><th>detail</th></tr>${t.timings.map(i=>`<tr><td>${a(i.phase)}</td><td>${a(i.outcome)}</td><td>${u(i.seconds)}</td><td>${a(i.detail??"")}</td></tr>`).join("")}</table>${t.wallSeconds!==void 0?`<p>Wall time ${u(t.wallSeconds)}.</p>`:""}`:"<p>No phase has run yet.</p>",x=t.clusters.filter(i=>i.limitations.length>0),b=e.title??"baf-action report",O={pass:"\u2705",fail:"\u274C",incomplete:"\u23F3"}[t.verdict.status],T=e.mermaidJs?`<script>${H(e.mermaidJs)}</script>`:"";return`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${a(`${b}: ${t.verdict.headline}`)}</title><style>${P}</style></head>
<body data-mermaid="pending" data-verdict="${t.verdict.status}">
<h1 class="${t.verdict.status}" id="verdict">${O} ${a(t.verdict.headline)}</h1>
<p>${a(_(t))}</p>
${t.missing.length?`<div class="missing"><b>Not in this report yet</b><ul>${t.missing.map(i=>`<li>${a(i)}</li>`).join("")}</ul></div>`:""}
<h2>Topology${n.form==="compact"?" (one box per cluster)":""}</h2>
<div class="diagram" id="diagram" title="click to switch between fit-to-width and full size" onclick="this.classList.toggle('full')">Drawing the diagram\u2026</div>
${r?`<details><summary>Every node (${t.counts.nodes})</summary><div class="diagram full" id="diagram-full" onclick="this.classList.toggle('full')">Drawing the diagram\u2026</div></details>`:""}
<details><summary>Mermaid source</summary><pre id="diagram-source">${a(n.text)}</pre></details>
<h2>Connectivity matrix</h2>${S}
<h2>Failures (${t.failures.length})</h2>${t.failures.length?t.failures.map(F).join(`
`):"<p>None.</p>"}
<h2>Clusters</h2>${E}
<h2>Timings</h2>${L}
<h2>Versions</h2><p>${t.versions.map(i=>`<code>${a(i.name)}</code> ${a(i.version)}`).join(" \xB7 ")}</p>
${x.length?`<h2>Limitations</h2><ul>${x.map(i=>`<li><b>${a(i.name)}</b>${i.provider?` (${a(i.provider)})`:""}: ${i.limitations.map(a).join("; ")}</li>`).join("")}</ul>`:""}
<footer>${a(b)} \xB7 network ${a(t.network.file)}${e.generatedAt?` \xB7 written ${a(e.generatedAt)}`:""}</footer>
<script type="application/json" id="baf-diagram">${z({diagrams:s})}</script>
${T}
<script>${W}</script>
</body></html>
`}function _(t){let e=t.counts.checks,n=e?`${e.total} checks: ${e.passed} passed, ${e.denied} refused as expected, ${e.failed} failed, ${e.inconclusive} inconclusive, ${e.skipped} skipped`:`${t.counts.planned} checks planned, none run`,r=t.counts.releases,s=r?` \xB7 ${r.total} releases: ${r.deployed} deployed, ${r.failed} failed`:"";return`${n}${s} \xB7 ${t.counts.clusters} clusters, ${t.counts.organizations} organisations, ${t.counts.nodes} nodes \xB7 provider ${t.network.provider}`}var $={markdown:"report.md",json:"report.json",html:"report.html"},q=1024;async function st(t,e){let n=w(t,e),r=v(n,{limit:y-q,fullReport:e.fullReport}),s=e.generatedAt??new Date().toISOString(),d=await R(),l=j(n,{mermaidJs:d?.text,generatedAt:s});await U(e.outDir,{recursive:!0});let o={markdown:h(e.outDir,$.markdown),json:h(e.outDir,$.json),html:h(e.outDir,$.html)};return await Promise.all([f(o.markdown,r.markdown),f(o.json,JSON.stringify({...n,generatedAt:s},null,2)+`
`),f(o.html,l)]),{dir:e.outDir,report:n,markdown:r,paths:o,mermaid:d?.path}}export{$ as a,q as b,st as c};
