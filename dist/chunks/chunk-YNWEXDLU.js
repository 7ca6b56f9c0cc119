import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
var r=["sim","kind","existing","eks","aks","gke"],t=["eks","aks","gke"];function s(e){return e.provider==="sim"||e.simulated===!0}export{r as a,t as b,s as c};
