import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a}from"./chunk-GYZKRUHD.js";import"./chunk-3TUF24CI.js";import"./chunk-TZ4NS25P.js";import"./chunk-TUQ7NLU2.js";import"./chunk-DYCD3WDA.js";import"./chunk-I6LYLIJI.js";import"./chunk-7RELMUHS.js";export{a as publishReport};
