import type { ProxyModel } from './proxy-model';

/** Class of the wg-ai-gateway prototype. */
export const WG_AI_GATEWAY_CLASS = 'wg-ai-gateway';

/** The Envoy the wg-ai-gateway prototype deploys per Gateway (the wg-ai-gateway plane). */
export const WG_AI_GATEWAY_PROXY: ProxyModel = {
  name: 'wg-ai-gateway',
  servesClass: (className) => className === WG_AI_GATEWAY_CLASS,
  runsKuadrant: false,
  honoursHostRewrite: false,
  forcesBackendHost: true,
  resolvesBackendKind: true,
  timeouts(gatewayName, rule) {
    const warnings = [`wg-ai-gateway (${gatewayName}) cuts streams idle for 15 s and requests after 60 s, whatever the manifests say: long or streaming completions are cut off`];
    if (rule?.timeouts) warnings.push(`wg-ai-gateway ignores HTTPRoute timeouts (${JSON.stringify(rule.timeouts)} on this rule)`);
    return { text: '15 s idle, 60 s request (wg-ai-gateway fixed values)', warnings };
  },
  unmodelledFilterNote: (type) => (type === 'ExtensionRef' ? 'wg-ai-gateway ignores it' : undefined),
  hostHeaderRefusal: (routeName, header) =>
    `route ${routeName} sets ${header} on a wg-ai-gateway gateway: its Envoy rejects the listener (host headers may not be modified)`,
};
