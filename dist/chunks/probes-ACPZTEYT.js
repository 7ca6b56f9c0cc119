import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b,c,d}from"./chunk-6VTYBHWT.js";import"./chunk-7RELMUHS.js";export{a as DEFAULT_DENY_PORTS,b as UNROUTED_SNI_LABEL,d as expectValidators,c as planProbes};
