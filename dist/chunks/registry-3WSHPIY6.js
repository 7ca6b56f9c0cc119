import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b}from"./chunk-5SRUJWMW.js";import"./chunk-7RELMUHS.js";export{b as cloudProviderFor,a as providerFor};
