import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  Gateway,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  ReferenceGrant,
} from '../../imports/gateway.networking.k8s.io';
import { checkDnsLabel, checkDnsSubdomain, checkNamespace, checkPort, checkSlashedPath } from '../internal/checks';
import { inputError } from '../internal/errors';
import { ensureNamespace } from '../internal/namespaces';
import { MaasPlatform } from '../platform/maas-platform';
import { ExternalModelRegistry } from './external-model-registry';
import { ExternalProvider, ExternalProviderOptions } from './external-provider';
import { UnifiedModelEndpoint, UnifiedModelEndpointOptions } from './unified-model-endpoint';
import { WgAiGatewayController, WgAiGatewayControllerProps } from './wg-ai-gateway-controller';
import { declareExistingGateway, declareExistingObject } from '../validation/existing-objects';
import { registerLibrarySynthesis } from '../internal/library-synthesis';

/** Properties of {@link MaasEgressGateway}. */
export interface MaasEgressGatewayProps {
  /**
   * Name of the egress Gateway.
   * @default 'egress-gateway'
   */
  readonly name?: string;
  /**
   * Namespace of the egress Gateway, its routes and backends.
   * @default 'maas-egress'
   */
  readonly namespace?: string;
  /**
   * Whether this app creates the namespace. Never done for `default`.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Port of the Gateway's HTTP listener, and so of its Envoy Service.
   * @default 80
   */
  readonly port?: number;
  /**
   * Path prefix on the MaaS gateway under which providers are exposed.
   * @default '/external/'
   */
  readonly pathPrefix?: string;
  /**
   * The MaaS installation being extended (gateway, identity, API namespace).
   * @default MaasPlatform.tierBased()
   */
  readonly platform?: MaasPlatform;
  /**
   * Installs the wg-ai-gateway controller and GatewayClass with these settings.
   * @default the controller is expected to be installed already
   */
  readonly controller?: WgAiGatewayControllerProps;
  /**
   * Name of the external model registry ConfigMap (in the platform's API namespace).
   * @default 'external-model-registry'
   */
  readonly registryName?: string;
  /**
   * Emits a NetworkPolicy so that only the MaaS gateway pods reach the egress
   * Envoy, whose Service is unauthenticated and of type LoadBalancer.
   * @default true
   */
  readonly restrictEnvoyIngress?: boolean;
}

/**
 * The egress tier between the MaaS gateway and external providers: a
 * wg-ai-gateway Gateway (optionally with its controller), the external model
 * registry, and the providers added to it.
 */
export class MaasEgressGateway extends Construct {
  /** Name of the Gateway. */
  public readonly gatewayName: string;
  /** Namespace of the Gateway, its routes and backends. */
  public readonly namespace: string;
  /** Listener port. */
  public readonly port: number;
  /** Public path prefix on the MaaS gateway. */
  public readonly pathPrefix: string;
  /** The MaaS installation being extended. */
  public readonly platform: MaasPlatform;
  /** The external model registry. */
  public readonly registry: ExternalModelRegistry;
  /** The controller, when this gateway installs it. */
  public readonly controller?: WgAiGatewayController;
  private readonly providerList: ExternalProvider[] = [];
  private readonly providersByName = new Map<string, ExternalProvider>();
  private readonly providerListeners: Array<(provider: ExternalProvider) => void> = [];
  private unifiedEndpoint?: UnifiedModelEndpoint;

  constructor(scope: Construct, id: string, props: MaasEgressGatewayProps = {}) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.gatewayName = checkDnsLabel(this, 'gateway name', props.name ?? 'egress-gateway');
    this.namespace = checkNamespace(this, 'gateway namespace', props.namespace ?? 'maas-egress');
    this.port = checkPort(this, 'gateway port', props.port ?? 80);
    this.pathPrefix = checkSlashedPath(this, 'path prefix', props.pathPrefix ?? '/external/');
    this.platform = props.platform ?? MaasPlatform.tierBased();
    declareExistingGateway(this, this.platform.gateway);
    if (props.controller) this.controller = new WgAiGatewayController(this, 'Controller', props.controller);

    if ((props.createNamespace ?? true) && this.namespace !== 'default') ensureNamespace(this, this.namespace);
    new Gateway(this, 'Gateway', {
      metadata: { name: this.gatewayName, namespace: this.namespace },
      spec: {
        gatewayClassName: WgAiGatewayController.GATEWAY_CLASS_NAME,
        listeners: [{
          name: 'http',
          protocol: 'HTTP',
          port: this.port,
          // routes of this library live in the gateway's namespace
          allowedRoutes: { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } },
        }],
      },
    });
    this.registry = new ExternalModelRegistry(this, 'Registry', {
      namespace: this.platform.apiNamespace,
      name: props.registryName,
    });
    if (props.restrictEnvoyIngress ?? true) this.createEnvoyNetworkPolicy();
  }

  /**
   * Name of the Service the controller creates for this Gateway's Envoy:
   * `envoy-<gateway>` in namespace `default`, else `envoy-<namespace>-<gateway>`.
   */
  public get envoyServiceName(): string {
    return this.namespace === 'default' ? `envoy-${this.gatewayName}` : `envoy-${this.namespace}-${this.gatewayName}`;
  }

  /**
   * Declares a Secret in the gateway's namespace that is created outside Git
   * (a CA bundle with `ca.crt`, a client certificate), so TLS references to it
   * pass the synth-time integrity check. Returns the name.
   */
  public declareExistingSecret(name: string): string {
    checkDnsSubdomain(this, 'existing Secret name', name);
    declareExistingObject(this, { group: '', kind: 'Secret', namespace: this.namespace, name });
    return name;
  }

  /** The providers added so far, in order. */
  public get providers(): ExternalProvider[] {
    return [...this.providerList];
  }

  /** Adds a provider reachable at `<pathPrefix><name>/`. */
  public addProvider(id: string, options: ExternalProviderOptions): ExternalProvider {
    return new ExternalProvider(this, id, { ...options, gateway: this });
  }

  /**
   * Adds the one OpenAI-style endpoint (`/v1/chat/completions`, `/v1/completions`)
   * on the MaaS gateway that routes by the body's `model` to this gateway's providers.
   */
  public addUnifiedEndpoint(options: UnifiedModelEndpointOptions = {}, id = 'UnifiedEndpoint'): UnifiedModelEndpoint {
    return new UnifiedModelEndpoint(this, id, { ...options, gateway: this });
  }

  /** @internal called by UnifiedModelEndpoint's constructor */
  public registerUnifiedEndpoint(endpoint: UnifiedModelEndpoint): void {
    if (endpoint.gateway !== this) {
      throw inputError(endpoint, 'gateway', endpoint.gateway.node.path, 'register an endpoint with its own gateway');
    }
    if (this.unifiedEndpoint) {
      throw inputError(endpoint, 'unified endpoint', endpoint.name,
        `${this.unifiedEndpoint.node.path} already routes this gateway's models by body; one unified endpoint per gateway`);
    }
    this.unifiedEndpoint = endpoint;
  }

  /** Calls `listener` for every provider, those added so far and those added later. */
  public onProvider(listener: (provider: ExternalProvider) => void): void {
    this.providerListeners.push(listener);
    this.providerList.forEach(listener);
  }

  /** @internal called by ExternalProvider's constructor */
  public registerProvider(provider: ExternalProvider): void {
    if (provider.gateway !== this) {
      throw inputError(provider, 'gateway', provider.gateway.node.path, 'register a provider with its own gateway');
    }
    const clash = this.providersByName.get(provider.name);
    if (clash) {
      throw inputError(provider, 'provider name', provider.name,
        `${clash.node.path} already uses it on this gateway; give every provider its own name`);
    }
    for (const model of provider.models) {
      this.registry.register(provider, { id: model, provider: provider.name, backend: provider.backendName });
    }
    this.providerList.push(provider);
    this.providersByName.set(provider.name, provider);
    if (provider.bridgeNamespace !== this.namespace) this.grantBridgeNamespace(provider.bridgeNamespace);
    this.providerListeners.forEach((listener) => listener(provider));
  }

  private grantBridgeNamespace(namespace: string): void {
    const id = `ReferenceGrant-${namespace}`;
    if (this.node.tryFindChild(id)) return;
    new ReferenceGrant(this, id, {
      metadata: { name: `bridge-from-${namespace}`, namespace: this.namespace },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace }],
        to: [{ group: '', kind: 'Service', name: this.envoyServiceName }],
      },
    });
  }

  private createEnvoyNetworkPolicy(): void {
    const maas = this.platform.gateway;
    new k8s.KubeNetworkPolicy(this, 'EnvoyIngressPolicy', {
      metadata: { name: `${this.gatewayName}-envoy-ingress`, namespace: this.namespace },
      spec: {
        // the controller labels its Envoy pods `app: <Envoy Service name>`
        podSelector: { matchLabels: { app: this.envoyServiceName } },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': maas.namespace } },
            podSelector: { matchLabels: { ...maas.podLabels } },
          }],
          ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(this.port) }],
        }],
      },
    });
  }
}
