import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{b as a,c as b}from"./chunk-MSGB7USG.js";import"./chunk-2FU254TF.js";import"./chunk-BBUFP2WO.js";import"./chunk-7RELMUHS.js";export{a as SimController,b as loopbackPool};
