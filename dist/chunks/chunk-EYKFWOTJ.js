import { createRequire as __bafRequire } from 'node:module'; const require = __bafRequire(import.meta.url);
import{e as d,f as r}from"./chunk-6ZNB7A3B.js";var m="kwok.x-k8s.io/node",u="rancher.io/local-path",b="10.96.0.10",p="baf-action/sim",y=["pods are simulated by kwok: no container runs, so nothing answers on pod or Service addresses","LoadBalancer addresses come from a loopback pool and carry no traffic unless a test binds them"];function k(e,a){return Array.from({length:a},(o,t)=>`${e}-worker${t===0?"":t+1}`)}function f(e){let a={cpu:"32",memory:"256Gi",pods:"110","ephemeral-storage":"500Gi"};return{apiVersion:"v1",kind:"Node",metadata:{name:e,annotations:{[m]:"fake","node.alpha.kubernetes.io/ttl":"0"},labels:{"kubernetes.io/hostname":e,"kubernetes.io/os":"linux","kubernetes.io/arch":"amd64",type:"kwok",[p]:"true"}},spec:{},status:{allocatable:a,capacity:a,nodeInfo:{kubeletVersion:"fake"}}}}var v=`.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;function h(){let e={"k8s-app":"kube-dns"};return[{apiVersion:"v1",kind:"Namespace",metadata:{name:"local-path-storage"}},{apiVersion:"storage.k8s.io/v1",kind:"StorageClass",metadata:{name:"standard",annotations:{"storageclass.kubernetes.io/is-default-class":"true"}},provisioner:u,reclaimPolicy:"Delete",volumeBindingMode:"WaitForFirstConsumer"},{apiVersion:"v1",kind:"ServiceAccount",metadata:{name:"coredns",namespace:"kube-system"}},{apiVersion:"v1",kind:"ConfigMap",metadata:{name:"coredns",namespace:"kube-system"},data:{Corefile:v}},{apiVersion:"apps/v1",kind:"Deployment",metadata:{name:"coredns",namespace:"kube-system",labels:e},spec:{replicas:2,selector:{matchLabels:e},template:{metadata:{labels:e},spec:{serviceAccountName:"coredns",containers:[{name:"coredns",image:"registry.k8s.io/coredns/coredns:v1.12.0",args:["-conf","/etc/coredns/Corefile"],ports:[{name:"dns",containerPort:53,protocol:"UDP"},{name:"dns-tcp",containerPort:53,protocol:"TCP"}],volumeMounts:[{name:"config-volume",mountPath:"/etc/coredns",readOnly:!0}]}],volumes:[{name:"config-volume",configMap:{name:"coredns",items:[{key:"Corefile",path:"Corefile"}]}}]}}}},{apiVersion:"v1",kind:"Service",metadata:{name:"kube-dns",namespace:"kube-system",labels:e},spec:{selector:e,clusterIP:b,ports:[{name:"dns",port:53,protocol:"UDP",targetPort:53},{name:"dns-tcp",port:53,protocol:"TCP",targetPort:53}]}}]}async function O(e,a,o,t,s){let c=k(a,o);await d(e,[...c.map(f),...h()]),await Promise.all([r(e,{path:"/api/v1/nodes",query:{labelSelector:`${p}=true`},what:`${o} Ready node(s) in ${a}`,timeoutMs:t,signal:s,done:n=>c.every(l=>n.get(`/${l}`)?.status?.conditions?.some(i=>i.type==="Ready"&&i.status==="True"))}),r(e,{path:"/api/v1/namespaces/default/serviceaccounts",what:`the default ServiceAccount in ${a}`,timeoutMs:t,signal:s,done:n=>n.has("default/default")})])}export{u as a,p as b,y as c,O as d};
