import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
var r=["sim","kind","existing","eks","aks","gke"];export{r as a};
