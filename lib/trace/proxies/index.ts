import { ISTIO_PROXY } from './istio';
import type { ProxyModel } from './proxy-model';
import { WG_AI_GATEWAY_PROXY } from './wg-ai-gateway';

/** The proxies the trace models, most specific first: Istio serves every class no other claims. */
export const PROXY_MODELS: readonly ProxyModel[] = [WG_AI_GATEWAY_PROXY, ISTIO_PROXY];

/** The model of the proxy that implements Gateways of `className`. */
export function proxyOfClass(className: string | undefined): ProxyModel {
  return PROXY_MODELS.find((p) => p.servesClass(className ?? '')) ?? ISTIO_PROXY;
}
