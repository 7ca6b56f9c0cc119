import type { ProxyKind } from '../model/platforms.js'
import { ambassadorGateway } from './ambassador.js'
import type { Gateway } from './gateway.js'
import { haproxyGateway } from './haproxy.js'
import { nginxGateway } from './nginx.js'
import { noGateway } from './none.js'

const GATEWAYS: Record<ProxyKind, Gateway> = { haproxy: haproxyGateway, ambassador: ambassadorGateway, nginx: nginxGateway, none: noGateway }

export function gatewayFor(kind: ProxyKind): Gateway {
  return GATEWAYS[kind]
}
