import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{c as a,d as b}from"./chunk-RE7FZ2SV.js";import"./chunk-7RELMUHS.js";export{a as SimController,b as loopbackPool};
