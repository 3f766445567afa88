import type { ProxyModel } from './proxy-model';

/** Istio's Envoy: OpenShift's gateways (the MaaS gateway, the direct and istio-gateway planes) and upstream Istio's. */
export const ISTIO_PROXY: ProxyModel = {
  name: 'istio',
  servesClass: () => true,
  runsKuadrant: true,
  honoursHostRewrite: true,
  forcesBackendHost: false,
  resolvesBackendKind: false,
  timeouts(_gatewayName, rule) {
    const request = rule?.timeouts?.request;
    const backend = rule?.timeouts?.backendRequest;
    if (backend && backend !== '0s') return { text: `${backend} per backend request (timeouts.backendRequest), no idle timeout`, warnings: [] };
    if (request && request !== '0s') return { text: `${request} for the whole response (timeouts.request), no idle timeout`, warnings: [] };
    return { text: 'none (Istio: no route timeout when timeouts.request is unset, no idle timeout)', warnings: [] };
  },
  unmodelledFilterNote: () => undefined,
  hostHeaderRefusal: () => undefined,
};
