import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b}from"./chunk-OGHAP6TR.js";import"./chunk-7RELMUHS.js";export{b as cloudProviderFor,a as providerFor};
