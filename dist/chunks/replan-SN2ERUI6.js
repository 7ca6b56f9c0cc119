import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b}from"./chunk-KRYU37O5.js";import"./chunk-BDQC2LPW.js";import"./chunk-D5W46WL3.js";import"./chunk-6VTYBHWT.js";import"./chunk-YML7BBWT.js";import"./chunk-HD2FZPER.js";import"./chunk-7RELMUHS.js";export{a as PlanNotInState,b as replannedProbes};
