import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-6ZNB7A3B.js";import"./chunk-KVUFH7HN.js";import"./chunk-7RELMUHS.js";export{a as FIELD_MANAGER,c as apiErrorCode,d as apiErrorMessage,e as applyObjects,b as loadKubeConfig,f as waitForWatch};
