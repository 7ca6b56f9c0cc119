import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a}from"./chunk-5M566MHL.js";import"./chunk-3TUF24CI.js";import"./chunk-MVALTHK5.js";import"./chunk-PJGWIQVP.js";import"./chunk-3F72QFHK.js";import"./chunk-7RELMUHS.js";export{a as publishReport};
