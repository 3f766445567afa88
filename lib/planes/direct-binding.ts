import type { HttpRouteSpecRules, HttpRouteSpecRulesBackendRefs } from '../../imports/gateway.networking.k8s.io';
import { inputError } from '../internal/errors';
import { IstioUpstream } from './istio/istio-upstream';
import { providerApiRewrite } from '../providers/provider-routes';
import type { IDataPlaneBinding } from '../contracts/data-plane-binding';
import type { IEgressGateway } from '../contracts/egress-gateway';
import type { IExternalProvider } from '../contracts/external-provider';
import type { IUnifiedModelEndpoint } from '../contracts/unified-model-endpoint';

/**
 * Single hop: each provider's route sits on the MaaS gateway itself and sends
 * to the provider's host, as current MaaS does; no second gateway.
 */
export class DirectBinding implements IDataPlaneBinding {
  public readonly proxyNamespace: string;
  private readonly upstreams = new Map<IExternalProvider, HttpRouteSpecRulesBackendRefs>();

  constructor(gateway: IEgressGateway) {
    this.proxyNamespace = gateway.maasGateway.namespace;
  }

  public maasRouteRule(provider: IExternalProvider): HttpRouteSpecRules {
    return {
      ...providerApiRewrite(provider.publicPathPrefix, provider.endpoint.apiBasePath, provider.endpoint.hostname),
      backendRefs: [this.upstream(provider)],
    };
  }

  public backendName(provider: IExternalProvider): string {
    return IstioUpstream.backendName(provider);
  }

  public egressRouteName(): undefined {
    return undefined;
  }

  public addProvider(provider: IExternalProvider): void {
    this.upstream(provider);
  }

  public unifiedRouteRule(endpoint: IUnifiedModelEndpoint): HttpRouteSpecRules {
    throw inputError(endpoint, 'data plane for a unified endpoint', 'direct',
      'on the direct plane the per-provider routes would sit on the MaaS gateway beside the endpoint, where a client-sent '
      + 'provider header selects them (and their policies) before the model router runs; '
      + 'use EgressDataPlane.istioGateway() or EgressDataPlane.wgAiGateway() for a unified endpoint');
  }

  public addUnifiedRoute(): void {
    // unreachable: unifiedRouteRule rejects the endpoint first
  }

  private upstream(provider: IExternalProvider): HttpRouteSpecRulesBackendRefs {
    let ref = this.upstreams.get(provider);
    if (!ref) {
      ref = IstioUpstream.add(provider, { routeNamespace: provider.bridgeNamespace, proxyNamespace: this.proxyNamespace });
      this.upstreams.set(provider, ref);
    }
    return ref;
  }
}
