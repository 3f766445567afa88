/**
 * What the trace knows of the proxy that implements a Gateway: one model per
 * proxy a data plane runs on (trace/proxies/<proxy>.ts, listed in PROXY_MODELS).
 */
export interface ProxyModel {
  /** Name in the trace's output, e.g. `istio`. */
  readonly name: string;
  /** True when this proxy implements Gateways of class `className`. */
  servesClass(className: string): boolean;
  /** Kuadrant's wasm-shim and the library's EnvoyFilters (header guard, model router) run on it. */
  readonly runsKuadrant: boolean;
  /** It applies a route's Host rewrite (urlRewrite.hostname, a set Host header). */
  readonly honoursHostRewrite: boolean;
  /** It sends the backend's hostname as Host whatever the route says. */
  readonly forcesBackendHost: boolean;
  /** It resolves backendRefs of kind Backend (XBackendDestination). */
  readonly resolvesBackendKind: boolean;
  /** The timeouts a route rule gets on this proxy, and the warnings that go with them. */
  timeouts(gatewayName: string, rule: any): { text: string; warnings: string[] };
  /** What the proxy does with a route filter of `type` that the trace does not model, when known. */
  unmodelledFilterNote(type: string): string | undefined;
  /** The warning for a route that sets Host on this proxy, when it refuses that. */
  hostHeaderRefusal(routeName: string, header: string): string | undefined;
}
