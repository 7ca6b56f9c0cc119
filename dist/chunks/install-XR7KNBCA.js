import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b,c}from"./chunk-U4RAJPIA.js";import"./chunk-NC2U5J4W.js";import"./chunk-JOXFXYD7.js";import"./chunk-YML7BBWT.js";import"./chunk-I6LYLIJI.js";import"./chunk-7RELMUHS.js";export{a as ChecksumMismatchError,b as ToolInstaller,c as prependPath};
