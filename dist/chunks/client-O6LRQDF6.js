import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{c as a,d as b}from"./chunk-TZ4NS25P.js";import"./chunk-7RELMUHS.js";export{a as DEFAULT_API_URL,b as GitHubClient};
