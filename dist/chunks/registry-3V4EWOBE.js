import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a}from"./chunk-47U3THJL.js";import"./chunk-7RELMUHS.js";export{a as providerFor};
