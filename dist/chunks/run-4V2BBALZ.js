import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{c as a,d as b,e as c,f as d}from"./chunk-Y2LDL4D6.js";import"./chunk-XFBRITRO.js";import"./chunk-YML7BBWT.js";import"./chunk-GE5QZXDV.js";import"./chunk-7RELMUHS.js";export{a as RUNNERS,d as probeState,b as probesDir,c as withGatewayAddresses};
