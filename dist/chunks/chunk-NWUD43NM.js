import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a as o}from"./chunk-D6GBCUMY.js";import{a as n}from"./chunk-EYRDPFAK.js";var c={"chart-source":{type:"string"}};function i(r){if(r!==void 0){if(!o.includes(r))throw new n(`--chart-source must be one of ${o.join(", ")} (got "${String(r)}")`);return r}}export{c as a,i as b};
