import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
var r=["baf","bevel"];export{r as a};
