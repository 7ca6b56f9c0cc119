import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a}from"./chunk-XB2GK5V7.js";import"./chunk-3TUF24CI.js";import"./chunk-TZ4NS25P.js";import"./chunk-MVALTHK5.js";import"./chunk-PJGWIQVP.js";import"./chunk-I6LYLIJI.js";import"./chunk-7RELMUHS.js";export{a as publishReport};
