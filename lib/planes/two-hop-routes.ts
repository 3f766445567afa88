import { KubeNetworkPolicy } from '../internal/kube-objects';
import { Construct } from 'constructs';
import {
  HttpRoute,
  type HttpRouteSpecRules,
  type HttpRouteSpecRulesBackendRefs,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesFiltersUrlRewritePathType,
  HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesPathType,
  ReferenceGrant,
} from '../../imports/gateway.networking.k8s.io';
import { inputError } from '../internal/errors';
import { prefixRewriteRule, PROVIDER_FACING_REMOVED_HEADERS } from '../providers/provider-routes';
import type { IEgressGateway } from '../contracts/egress-gateway';
import type { IExternalProvider } from '../contracts/external-provider';
import type { IUnifiedModelEndpoint } from '../contracts/unified-model-endpoint';

/** The Service through which the MaaS gateway reaches an egress gateway's proxy. */
export interface HopService {
  readonly name: string;
  readonly port: number;
}

/**
 * What every two-hop plane shares: bridges from the MaaS gateway to the egress
 * proxy's Service (with ReferenceGrants for bridges in other namespaces), the
 * NetworkPolicy that admits only the MaaS gateway pods to that proxy, and the
 * routes on the egress gateway.
 */
export class TwoHopRoutes {
  constructor(private readonly gateway: IEgressGateway, private readonly hop: HopService) {}

  /**
   * `/external/<p>/` -> `/<p>/` towards the egress proxy, with Host set to the
   * proxy's Service: Kuadrant 1.5 on Istio before 1.27 also puts the MaaS
   * gateway's wasm filter on an Istio egress gateway, and its action sets
   * match by the MaaS host, so the hop must not carry it.
   */
  public bridgeRule(provider: IExternalProvider): HttpRouteSpecRules {
    return {
      ...prefixRewriteRule(provider.publicPathPrefix, provider.egressPathPrefix, this.hopHost),
      backendRefs: [this.hopBackendRef(provider.bridgeNamespace)],
    };
  }

  /** The Host the MaaS gateway sends to the egress proxy: its Service's cluster name. */
  public get hopHost(): string {
    return `${this.hop.name}.${this.gateway.namespace}.svc.cluster.local`;
  }

  /** A rule fragment that sends, from a route in `fromNamespace`, to the egress proxy with Host set to its Service (see {@link bridgeRule}). */
  public hopRule(fromNamespace: string): HttpRouteSpecRules {
    return {
      filters: [{ type: HttpRouteSpecRulesFiltersType.URL_REWRITE, urlRewrite: { hostname: this.hopHost } }],
      backendRefs: [this.hopBackendRef(fromNamespace)],
    };
  }

  /** backendRef to the egress proxy from a route in `fromNamespace`, granted when it crosses namespaces. */
  public hopBackendRef(fromNamespace: string): HttpRouteSpecRulesBackendRefs {
    const crosses = fromNamespace !== this.gateway.namespace;
    if (crosses) this.grant(fromNamespace);
    return { name: this.hop.name, namespace: crosses ? this.gateway.namespace : undefined, port: this.hop.port };
  }

  /** Name of a provider's route on the egress gateway. */
  public egressRouteName(provider: IExternalProvider): string {
    return `${provider.name}-route`;
  }

  /** A route on the egress gateway with `rule`'s match and rewrite, to `backend`. */
  public addEgressRoute(scope: Construct, id: string, name: string, rule: HttpRouteSpecRules,
    backend: HttpRouteSpecRulesBackendRefs, timeout: string): void {
    new HttpRoute(scope, id, {
      metadata: { name, namespace: this.gateway.namespace },
      spec: {
        parentRefs: [{ name: this.gateway.gatewayName, namespace: this.gateway.namespace }],
        rules: [{ ...rule, timeouts: { request: timeout }, backendRefs: [backend] }],
      },
    });
  }

  /** The unified endpoint's route for `provider`: `/v1/` with the provider header set by the model router. */
  public addUnifiedRoute(endpoint: IUnifiedModelEndpoint, provider: IExternalProvider, backend: HttpRouteSpecRulesBackendRefs): void {
    if (provider.name === 'v1') {
      throw inputError(provider, 'provider name', provider.name,
        'with a unified endpoint, "v1" would shadow the unified paths on the egress gateway; rename the provider');
    }
    const base = provider.endpoint.apiBasePath;
    this.addEgressRoute(endpoint, `Egress-${provider.name}`, endpoint.egressRouteName(provider), {
      matches: [{
        path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/v1/' },
        headers: [{ type: HttpRouteSpecRulesMatchesHeadersType.EXACT, name: endpoint.providerHeader, value: provider.name }],
      }],
      filters: [{
        type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
        urlRewrite: {
          hostname: provider.endpoint.hostname,
          path: base === '/v1/' ? undefined : {
            type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH,
            replacePrefixMatch: base,
          },
        },
      }, {
        // the routing header has done its job; the provider does not need it
        type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER,
        requestHeaderModifier: { remove: [endpoint.providerHeader, ...PROVIDER_FACING_REMOVED_HEADERS] },
      }],
    }, backend, endpoint.requestTimeout);
  }

  /** A NetworkPolicy that admits only the MaaS gateway pods to the proxy pods selected by `podLabels`. */
  public fenceProxy(podLabels: Record<string, string>): void {
    const maas = this.gateway.maasGateway;
    new KubeNetworkPolicy(this.gateway, 'EnvoyIngressPolicy', {
      metadata: { name: `${this.gateway.gatewayName}-envoy-ingress`, namespace: this.gateway.namespace },
      spec: {
        podSelector: { matchLabels: podLabels },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': maas.namespace } },
            podSelector: { matchLabels: { ...maas.podLabels } },
          }],
          ports: [{ protocol: 'TCP', port: this.hop.port }],
        }],
      },
    });
  }

  private grant(namespace: string): void {
    const id = `ReferenceGrant-${namespace}`;
    if (this.gateway.node.tryFindChild(id)) return;
    new ReferenceGrant(this.gateway, id, {
      metadata: { name: `bridge-from-${namespace}`, namespace: this.gateway.namespace },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace }],
        to: [{ group: '', kind: 'Service', name: this.hop.name }],
      },
    });
  }
}
