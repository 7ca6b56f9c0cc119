import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b,c}from"./chunk-JW26BAYS.js";import"./chunk-PJGWIQVP.js";import"./chunk-7RELMUHS.js";export{b as COMMENT_RESERVE,a as REPORT_FILES,c as writeReport};
