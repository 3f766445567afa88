import type { IExternalProvider } from './external-provider';
import type { IUnifiedModelEndpoint } from './unified-model-endpoint';

/**
 * One rule of an HTTPRoute as Gateway API JSON (`HTTPRouteRule`): what a data
 * plane asks the platform to put on the MaaS gateway. The route is checked
 * against the Gateway API CRD schema at synth.
 */
export interface RouteRule {
  /**
   * Matches (`HTTPRouteMatch` objects).
   * @default the platform's: the provider's path prefix or the endpoint's paths
   */
  readonly matches?: any[];
  /**
   * Filters (`HTTPRouteFilter` objects), e.g. a URLRewrite.
   * @default none
   */
  readonly filters?: any[];
  /**
   * Where the rule sends traffic (`HTTPBackendRef` objects).
   * @default none: the route answers 500
   */
  readonly backendRefs?: any[];
}

/**
 * A data plane bound to one egress gateway (what `IEgressDataPlane.bind`
 * returns): what it emits for each provider and for a unified endpoint. The
 * platform emits the routes on the MaaS gateway and their policies; the plane
 * says where those routes send traffic.
 */
export interface IDataPlaneBinding {
  /** Namespace of the proxy pods that originate TLS to providers (where CA Secrets must live). */
  readonly proxyNamespace: string;
  /** The rule (matches, filters, backendRefs) of the provider's route on the MaaS gateway. */
  maasRouteRule(provider: IExternalProvider): RouteRule;
  /** Emits the plane's objects that carry the provider's traffic, scoped under the provider. */
  addProvider(provider: IExternalProvider): void;
  /** Name of the object that serves the provider, as the model registry names it. */
  backendName(provider: IExternalProvider): string;
  /** Name of the provider's route on the egress gateway, when the plane has one. */
  egressRouteName(provider: IExternalProvider): string | undefined;
  /**
   * Filters and backendRefs of a unified endpoint's route on the MaaS gateway
   * (its matches are the endpoint's); throws, naming the endpoint, when the plane cannot serve one.
   */
  unifiedRouteRule(endpoint: IUnifiedModelEndpoint): RouteRule;
  /** Emits the route that takes a unified endpoint's requests for `provider` to it. */
  addUnifiedRoute(endpoint: IUnifiedModelEndpoint, provider: IExternalProvider): void;
}
