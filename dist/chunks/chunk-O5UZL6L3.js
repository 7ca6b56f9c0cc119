import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
var n=class{constructor(r=process.stderr,i=!1){this.out=r;this.verbose=i}out;verbose;info(r){this.out.write(r+`
`)}debug(r){this.verbose&&this.out.write(`debug: ${r}
`)}warning(r,i){this.out.write(`${s(i)}warning: ${r}
`)}error(r,i){this.out.write(`${s(i)}error: ${r}
`)}async group(r,i){let o=Date.now();this.out.write(`==> ${r}
`);try{return await i()}finally{this.out.write(`<== ${r} (${((Date.now()-o)/1e3).toFixed(1)}s)
`)}}};function s(t){return t?.file?`${t.file}:${t.startLine??1}:${t.startColumn??1}: `:""}export{n as a};
