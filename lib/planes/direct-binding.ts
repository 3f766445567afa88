import { HttpRouteSpecRules, HttpRouteSpecRulesBackendRefs } from '../../imports/gateway.networking.k8s.io';
import type { ExternalProvider } from '../constructs/external-provider';
import type { MaasEgressGateway } from '../constructs/maas-egress-gateway';
import type { UnifiedModelEndpoint } from '../constructs/unified-model-endpoint';
import { inputError } from '../internal/errors';
import { DataPlaneBinding } from './data-plane-binding';
import { IstioUpstream } from './istio-upstream';
import { providerApiRewrite } from './provider-routes';

/**
 * Single hop: each provider's route sits on the MaaS gateway itself and sends
 * to the provider's host, as current MaaS does; no second gateway.
 */
export class DirectBinding implements DataPlaneBinding {
  public readonly proxyNamespace: string;
  private readonly upstreams = new Map<ExternalProvider, HttpRouteSpecRulesBackendRefs>();

  constructor(gateway: MaasEgressGateway) {
    this.proxyNamespace = gateway.platform.gateway.namespace;
  }

  public maasRouteRule(provider: ExternalProvider): HttpRouteSpecRules {
    return {
      ...providerApiRewrite(provider.publicPathPrefix, provider.endpoint.apiBasePath, provider.endpoint.hostname),
      backendRefs: [this.upstream(provider)],
    };
  }

  public backendName(provider: ExternalProvider): string {
    return IstioUpstream.backendName(provider);
  }

  public egressRouteName(): undefined {
    return undefined;
  }

  public addProvider(provider: ExternalProvider): void {
    this.upstream(provider);
  }

  public unifiedRouteRule(endpoint: UnifiedModelEndpoint): HttpRouteSpecRules {
    throw inputError(endpoint, 'data plane for a unified endpoint', 'direct',
      'on the direct plane the per-provider routes would sit on the MaaS gateway beside the endpoint, where a client-sent '
      + 'provider header selects them (and their policies) before the model router runs; '
      + 'use EgressDataPlane.istioGateway() or EgressDataPlane.wgAiGateway() for a unified endpoint');
  }

  public addUnifiedRoute(): void {
    // unreachable: unifiedRouteRule rejects the endpoint first
  }

  private upstream(provider: ExternalProvider): HttpRouteSpecRulesBackendRefs {
    let ref = this.upstreams.get(provider);
    if (!ref) {
      ref = IstioUpstream.add(provider, { routeNamespace: provider.bridgeNamespace, proxyNamespace: this.proxyNamespace });
      this.upstreams.set(provider, ref);
    }
    return ref;
  }
}
