import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{b as a,c as b}from"./chunk-GPCOEOLV.js";import"./chunk-IZPPEW7G.js";import"./chunk-7RELMUHS.js";export{a as SimController,b as loopbackPool};
