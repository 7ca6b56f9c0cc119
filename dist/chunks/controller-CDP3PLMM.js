import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b}from"./chunk-4OIBAUMX.js";import"./chunk-DHSDS34F.js";import"./chunk-ACURMTZG.js";import"./chunk-7RELMUHS.js";export{a as SimController,b as loopbackPool};
