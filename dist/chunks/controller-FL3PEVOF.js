import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b}from"./chunk-JOFAACPS.js";import"./chunk-EYKFWOTJ.js";import"./chunk-6ZNB7A3B.js";import"./chunk-KVUFH7HN.js";import"./chunk-7RELMUHS.js";export{a as SimController,b as loopbackPool};
