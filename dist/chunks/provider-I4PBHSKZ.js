import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b}from"./chunk-VZD2JZ25.js";import"./chunk-DCCEFLMM.js";import"./chunk-DHSDS34F.js";import"./chunk-N3F2KBF6.js";import"./chunk-WXHSNNSH.js";import"./chunk-ACURMTZG.js";import"./chunk-JOXFXYD7.js";import"./chunk-7RELMUHS.js";export{a as EXISTING_LIMITATIONS,b as ExistingProvider};
