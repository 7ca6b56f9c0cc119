import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-WCXOSVPC.js";import"./chunk-2RU4VFW6.js";import"./chunk-XFBRITRO.js";import"./chunk-YML7BBWT.js";import"./chunk-JAFSSV2K.js";import"./chunk-JUBBPB3E.js";import"./chunk-7RELMUHS.js";export{c as down,d as probe,a as providerOption,e as report,b as up};
