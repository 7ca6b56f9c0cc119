import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a}from"./chunk-G3CDFHRX.js";import"./chunk-3FY63VGK.js";import"./chunk-7RELMUHS.js";export{a as Kubeconfig};
