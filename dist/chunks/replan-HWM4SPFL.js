import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b}from"./chunk-PEPD4XTE.js";import"./chunk-NHQFLYGD.js";import"./chunk-D5W46WL3.js";import"./chunk-MRZPMPQM.js";import"./chunk-YML7BBWT.js";import"./chunk-HD2FZPER.js";import"./chunk-7RELMUHS.js";export{a as PlanNotInState,b as replannedProbes};
