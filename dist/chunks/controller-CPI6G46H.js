import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{b as a,c as b}from"./chunk-2RPKR6QY.js";import"./chunk-FNQ3JKIN.js";import"./chunk-NI42CCLS.js";import"./chunk-7RELMUHS.js";export{a as SimController,b as loopbackPool};
