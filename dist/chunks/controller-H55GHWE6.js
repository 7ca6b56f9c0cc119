import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{b as a,c as b}from"./chunk-5JXBRYSJ.js";import"./chunk-PFWMMLTE.js";import"./chunk-7RELMUHS.js";export{a as SimController,b as loopbackPool};
