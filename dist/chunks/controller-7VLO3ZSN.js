import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{b as a,c as b}from"./chunk-7MCCRXWM.js";import"./chunk-EDU2FTWO.js";import"./chunk-BBUFP2WO.js";import"./chunk-7RELMUHS.js";export{a as SimController,b as loopbackPool};
