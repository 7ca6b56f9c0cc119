import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
var r=["sim","kind","existing","eks","aks","gke"],s=["eks","aks","gke"];function t(e){return e.provider==="sim"||e.simulated===!0}export{r as a,s as b,t as c};
