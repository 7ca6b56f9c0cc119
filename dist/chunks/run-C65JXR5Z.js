import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{c as a,d as b,e as c,f as d}from"./chunk-TZFONQSO.js";import"./chunk-XFBRITRO.js";import"./chunk-YML7BBWT.js";import"./chunk-HD2FZPER.js";import"./chunk-7RELMUHS.js";export{a as RUNNERS,d as probeState,b as probesDir,c as withGatewayAddresses};
