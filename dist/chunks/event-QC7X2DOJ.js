import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-3TUF24CI.js";import"./chunk-7RELMUHS.js";export{a as PR_FILE,c as pullRequestOf,b as readEvent,f as readPrArtifact,d as triggeringRun,e as writePrArtifact};
