import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  type HttpRouteSpecRules, type HttpRouteSpecRulesBackendRefs,
} from '../../../imports/gateway.networking.k8s.io';
import {
  XBackendDestination,
  XBackendDestinationSpecDestinationPortsProtocol,
  XBackendDestinationSpecDestinationType,
} from '../../../imports/ainetworking.prototype.x-k8s.io';
import { WgAiGatewayController, type WgAiGatewayControllerProps } from './wg-ai-gateway-controller';
import { inputError } from '../../internal/errors';
import { envoyServiceName } from '../../core/object-index';
import { INSECURE_TLS_ANNOTATION } from '../../internal/annotations';
import { providerApiRewrite } from '../../providers/provider-routes';
import { backendDestinationTls, checkTlsOnWgAiGateway } from './backend-destination-tls';
import { TwoHopRoutes } from '../two-hop-routes';
import type { IDataPlaneBinding } from '../../contracts/data-plane-binding';
import type { IEgressGateway } from '../../contracts/egress-gateway';
import type { IExternalProvider } from '../../contracts/external-provider';
import type { IUnifiedModelEndpoint } from '../../contracts/unified-model-endpoint';

/** Settings of the wg-ai-gateway data plane, as bound to one egress gateway. */
export interface WgAiGatewayBindingSettings {
  readonly port: number;
  readonly controller?: WgAiGatewayControllerProps;
  readonly restrictIngress: boolean;
}

/**
 * The seed's data plane: a Gateway of class `wg-ai-gateway`, whose controller
 * deploys an Envoy `envoy-<ns>-<gw>`; per provider an XBackendDestination and
 * a route on that Gateway.
 */
export class WgAiGatewayBinding implements IDataPlaneBinding {
  public readonly proxyNamespace: string;
  /** The controller, when this gateway installs it. */
  public readonly controller?: WgAiGatewayController;
  private readonly routes: TwoHopRoutes;
  private tlsProviders: IExternalProvider[] = [];

  constructor(private readonly gateway: IEgressGateway, settings: WgAiGatewayBindingSettings) {
    this.proxyNamespace = gateway.namespace;
    if (settings.port < 1024) {
      throw inputError(gateway, 'wg-ai-gateway listener port', settings.port,
        'the prototype deploys its Envoy without NET_BIND_SERVICE or the unprivileged-port sysctl, so under OpenShift\'s restricted SCC it cannot bind a port below 1024; use 1024 or above (default 8080)');
    }
    this.routes = new TwoHopRoutes(gateway, { name: this.envoyServiceName, port: settings.port });
    if (settings.controller) this.controller = new WgAiGatewayController(gateway, 'Controller', settings.controller);
    new Gateway(gateway, 'Gateway', {
      metadata: { name: gateway.gatewayName, namespace: gateway.namespace },
      spec: {
        gatewayClassName: WgAiGatewayController.GATEWAY_CLASS_NAME,
        listeners: [{
          name: 'http',
          protocol: 'HTTP',
          port: settings.port,
          allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
        }],
      },
    });
    WgAiGatewayController.grantGatewayNamespace(gateway, gateway.namespace);
    // the controller labels its Envoy pods `app: <Envoy Service name>`
    if (settings.restrictIngress) this.routes.fenceProxy({ app: this.envoyServiceName });
    gateway.node.addValidation({ validate: () => this.tlsControllerProblems() });
  }

  /** `envoy-<gateway>` in namespace `default`, else `envoy-<namespace>-<gateway>` (the controller's naming). */
  public get envoyServiceName(): string {
    return envoyServiceName(this.gateway.namespace, this.gateway.gatewayName);
  }

  public maasRouteRule(provider: IExternalProvider) {
    return this.routes.bridgeRule(provider);
  }

  public backendName(provider: IExternalProvider): string {
    return `${provider.name}-backend`;
  }

  public egressRouteName(provider: IExternalProvider): string {
    return this.routes.egressRouteName(provider);
  }

  public addProvider(provider: IExternalProvider): void {
    const tls = provider.endpoint.tls;
    if (tls) {
      checkTlsOnWgAiGateway(provider, tls);
      this.tlsProviders.push(provider);
    }
    new XBackendDestination(provider, 'Backend', {
      metadata: {
        name: this.backendName(provider),
        namespace: this.gateway.namespace,
        annotations: tls?.insecure ? { [INSECURE_TLS_ANNOTATION]: 'true' } : undefined,
      },
      spec: {
        destination: {
          type: XBackendDestinationSpecDestinationType.FQDN,
          fqdn: { hostname: provider.endpoint.hostname },
          ports: [{
            number: provider.endpoint.port,
            protocol: provider.endpoint.protocol as unknown as XBackendDestinationSpecDestinationPortsProtocol,
            tls: tls && backendDestinationTls(tls, provider.endpoint.hostname),
          }],
        },
      },
    });
    this.routes.addEgressRoute(provider, 'EgressRoute', this.egressRouteName(provider),
      providerApiRewrite(provider.egressPathPrefix, provider.endpoint.apiBasePath, provider.endpoint.hostname),
      this.backendRef(provider), provider.requestTimeout);
  }

  public unifiedRouteRule(endpoint: IUnifiedModelEndpoint): HttpRouteSpecRules {
    return this.routes.hopRule(endpoint.namespace);
  }

  public addUnifiedRoute(endpoint: IUnifiedModelEndpoint, provider: IExternalProvider): void {
    this.routes.addUnifiedRoute(endpoint, provider, this.backendRef(provider));
  }

  private backendRef(provider: IExternalProvider): HttpRouteSpecRulesBackendRefs {
    return { group: 'ainetworking.prototype.x-k8s.io', kind: 'Backend', name: this.backendName(provider), port: provider.endpoint.port };
  }

  private tlsControllerProblems(): string[] {
    const controller = this.controller;
    if (!controller || !controller.predatesTls || this.tlsProviders.length === 0) return [];
    const names = this.tlsProviders.map((p) => p.name);
    return [`${names.join(', ')} ${names.length === 1 ? 'uses' : 'use'} TLS, but ${controller.node.path} runs ${controller.image}, `
      + 'which predates TLS origination in wg-ai-gateway (its Envoy would send plain HTTP to port 443): give controller.image an image '
      + 'built from kubernetes-sigs/wg-ai-gateway at 548475f or later (docs/operations.md, "Known limits"), '
      + 'or use EgressDataPlane.istioGateway() or EgressDataPlane.direct()'];
  }
}

