import { Gateway, GatewaySpecListenersAllowedRoutesNamespacesFrom, type HttpRouteSpecRules, type HttpRouteSpecRulesBackendRefs } from '../../imports/gateway.networking.k8s.io';
import { checkDnsLabel } from '../internal/checks';
import { IstioUpstream } from './istio/istio-upstream';
import { providerApiRewrite } from '../providers/provider-routes';
import { TwoHopRoutes } from './two-hop-routes';
import type { IDataPlaneBinding } from '../contracts/data-plane-binding';
import type { IEgressGateway } from '../contracts/egress-gateway';
import type { IExternalProvider } from '../contracts/external-provider';
import type { IUnifiedModelEndpoint } from '../contracts/unified-model-endpoint';

/** Settings of the Istio egress gateway plane, as bound to one egress gateway. */
export interface IstioGatewayBindingSettings {
  readonly gatewayClassName: string;
  readonly port: number;
  readonly clusterIpService: boolean;
}

/** Istio's annotation that chooses the type of the Service of an automatically deployed gateway. */
export const ISTIO_SERVICE_TYPE_ANNOTATION = 'networking.istio.io/service-type';

/**
 * A dedicated Gateway served by Istio (OpenShift's `openshift-default` class by
 * default), which deploys `<gateway>-<class>` into the gateway's namespace;
 * per provider a ServiceEntry/DestinationRule and a route whose backend is the
 * provider's host.
 */
export class IstioGatewayBinding implements IDataPlaneBinding {
  public readonly proxyNamespace: string;
  private readonly routes: TwoHopRoutes;
  private readonly upstreams = new Map<IExternalProvider, HttpRouteSpecRulesBackendRefs>();

  constructor(private readonly gateway: IEgressGateway, settings: IstioGatewayBindingSettings) {
    this.proxyNamespace = gateway.namespace;
    const className = checkDnsLabel(gateway, 'Istio gateway class name', settings.gatewayClassName);
    this.routes = new TwoHopRoutes(gateway, { name: `${gateway.gatewayName}-${className}`, port: settings.port });
    new Gateway(gateway, 'Gateway', {
      metadata: {
        name: gateway.gatewayName,
        namespace: gateway.namespace,
        annotations: settings.clusterIpService ? { [ISTIO_SERVICE_TYPE_ANNOTATION]: 'ClusterIP' } : undefined,
      },
      spec: {
        gatewayClassName: className,
        listeners: [{
          name: 'http',
          protocol: 'HTTP',
          port: settings.port,
          allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
        }],
      },
    });
    // Istio labels the pods of an automatically deployed gateway with its name
    this.routes.fenceProxy({ 'gateway.networking.k8s.io/gateway-name': gateway.gatewayName });
  }

  public maasRouteRule(provider: IExternalProvider) {
    return this.routes.bridgeRule(provider);
  }

  public backendName(provider: IExternalProvider): string {
    return IstioUpstream.backendName(provider);
  }

  public egressRouteName(provider: IExternalProvider): string {
    return this.routes.egressRouteName(provider);
  }

  public addProvider(provider: IExternalProvider): void {
    const backend = IstioUpstream.add(provider, { routeNamespace: this.gateway.namespace, proxyNamespace: this.proxyNamespace });
    this.upstreams.set(provider, backend);
    this.routes.addEgressRoute(provider, 'EgressRoute', this.egressRouteName(provider),
      providerApiRewrite(provider.egressPathPrefix, provider.endpoint.apiBasePath, provider.endpoint.hostname),
      backend, provider.requestTimeout);
  }

  public unifiedRouteRule(endpoint: IUnifiedModelEndpoint): HttpRouteSpecRules {
    return this.routes.hopRule(endpoint.namespace);
  }

  public addUnifiedRoute(endpoint: IUnifiedModelEndpoint, provider: IExternalProvider): void {
    this.routes.addUnifiedRoute(endpoint, provider, this.upstreams.get(provider)!);
  }
}
