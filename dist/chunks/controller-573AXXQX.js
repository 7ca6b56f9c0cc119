import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{c as a,d as b}from"./chunk-Y2U5MWRK.js";import"./chunk-7RELMUHS.js";export{a as SimController,b as loopbackPool};
