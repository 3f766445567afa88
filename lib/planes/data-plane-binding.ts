import { HttpRouteSpecRules } from '../../imports/gateway.networking.k8s.io';
import type { ExternalProvider } from '../constructs/external-provider';
import type { UnifiedModelEndpoint } from '../constructs/unified-model-endpoint';

/**
 * A data plane bound to one egress gateway: what it emits for the gateway
 * (when constructed), for each provider, and for a unified endpoint. The
 * platform emits the routes on the MaaS gateway and their policies; the plane
 * says where those routes send traffic.
 */
export interface DataPlaneBinding {
  /** Namespace of the proxy pods that originate TLS to providers (where CA Secrets must live). */
  readonly proxyNamespace: string;
  /** The rule (matches, filters, backendRefs) of the provider's route on the MaaS gateway. */
  maasRouteRule(provider: ExternalProvider): HttpRouteSpecRules;
  /** Emits the plane's objects that carry the provider's traffic, scoped under the provider. */
  addProvider(provider: ExternalProvider): void;
  /** Name of the object that serves the provider, as the model registry names it. */
  backendName(provider: ExternalProvider): string;
  /** Name of the provider's route on the egress gateway, when the plane has one. */
  egressRouteName(provider: ExternalProvider): string | undefined;
  /**
   * Filters and backendRefs of a unified endpoint's route on the MaaS gateway
   * (its matches are the endpoint's); throws, naming the endpoint, when the plane cannot serve one.
   */
  unifiedRouteRule(endpoint: UnifiedModelEndpoint): HttpRouteSpecRules;
  /** Emits the route that takes a unified endpoint's requests for `provider` to it. */
  addUnifiedRoute(endpoint: UnifiedModelEndpoint, provider: ExternalProvider): void;
}
