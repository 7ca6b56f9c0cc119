import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b,c}from"./chunk-4NPT3Y2R.js";import"./chunk-DYCD3WDA.js";import"./chunk-7RELMUHS.js";export{b as COMMENT_RESERVE,a as REPORT_FILES,c as writeReport};
