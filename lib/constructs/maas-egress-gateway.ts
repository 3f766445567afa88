import { Construct } from 'constructs';
import { checkDnsLabel, checkDnsSubdomain, checkNamespace, checkSlashedPath } from '../internal/checks';
import { inputError } from '../internal/errors';
import { registerLibrarySynthesis } from '../output/library-synthesis';
import { ensureNamespace } from '../internal/namespaces';
import { EgressDataPlane } from '../planes/egress-data-plane';
import type { IEgressDataPlane, IEgressGateway } from '../contracts/egress-gateway';
import type { IModelRegistry } from '../contracts/model-registry';
import type { IExternalProvider } from '../contracts/external-provider';
import type { GatewayReference } from '../core/gateway-reference';
import { MaasPlatform } from '../platform/maas-platform';
import type { IPlatformRealization } from '../contracts/platform-realization';
import type { SharedModelOptions } from '../contracts/model-route';
import { declareExistingObject } from '../validation/existing-objects';
import { ExternalProvider, type ExternalProviderOptions } from './external-provider';
import { UnifiedModelEndpoint, type UnifiedModelEndpointOptions } from './unified-model-endpoint';

/** Properties of {@link MaasEgressGateway}. */
export interface MaasEgressGatewayProps {
  /**
   * Name of the egress Gateway (on two-hop data planes).
   * @default 'egress-gateway'
   */
  readonly name?: string;
  /**
   * Namespace of the egress Gateway, its routes and backends, and the default
   * namespace of the providers' routes on the MaaS gateway.
   * @default 'maas-egress'
   */
  readonly namespace?: string;
  /**
   * Whether this app creates the namespace. Never done for `default`.
   * @default true
   */
  readonly createNamespace?: boolean;
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
   * The proxy between the MaaS gateway and the providers: one of `EgressDataPlane`'s,
   * or a team's own implementation of `IEgressDataPlane`.
   * @default EgressDataPlane.direct(): provider routes on the MaaS gateway itself
   */
  readonly dataPlane?: IEgressDataPlane;
  /**
   * Name of the external model registry ConfigMap (in the platform's API namespace).
   * @default 'external-model-registry'
   */
  readonly registryName?: string;
}

/** True for one of EgressDataPlane's planes and for a team's own IEgressDataPlane (jsii proxies of other languages included). */
function isDataPlane(value: unknown): value is IEgressDataPlane {
  const plane = value as IEgressDataPlane | null;
  return plane instanceof EgressDataPlane
    || (typeof plane === 'object' && plane !== null && typeof plane.bind === 'function' && typeof plane.kind === 'string');
}

/** How a wrong value given for a strategy prop reads in an error: a factory passed without calling it shows as such. */
function describeGiven(value: unknown): unknown {
  if (typeof value === 'function') return `${value.name || 'a function'} (a factory: call it, e.g. ${value.name || 'it'}())`;
  if (value !== null && typeof value === 'object' && value.constructor && value.constructor !== Object) return `an instance of ${value.constructor.name}`;
  return value;
}

/**
 * The way from the MaaS gateway to external providers: the data plane chosen
 * by `dataPlane` (a second gateway, or routes on the MaaS gateway itself), the
 * external model registry, and the providers added to it.
 */
export class MaasEgressGateway extends Construct implements IEgressGateway {
  /** Name of the egress Gateway. */
  public readonly gatewayName: string;
  /** Namespace of the Gateway, its routes and backends. */
  public readonly namespace: string;
  /** Public path prefix on the MaaS gateway. */
  public readonly pathPrefix: string;
  /** The MaaS installation being extended. */
  public readonly platform: MaasPlatform;
  /** The data plane. */
  public readonly dataPlane: IEgressDataPlane;
  /**
   * Name of the registry ConfigMap.
   * @default 'external-model-registry'
   */
  public readonly registryName?: string;
  /** @internal What the platform emits for this gateway's providers, budgets and endpoints. */
  public readonly _realization: IPlatformRealization;
  /** @internal The data plane as given in the props (platforms without a library data plane reject one). */
  public readonly _dataPlaneProp?: IEgressDataPlane;
  private readonly providerList: ExternalProvider[] = [];
  private readonly providersByName = new Map<string, ExternalProvider>();
  private readonly providerListeners: Array<(provider: ExternalProvider) => void> = [];
  private unifiedEndpoint?: UnifiedModelEndpoint;

  constructor(scope: Construct, id: string, props: MaasEgressGatewayProps = {}) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.gatewayName = checkDnsLabel(this, 'gateway name', props.name ?? 'egress-gateway');
    this.namespace = checkNamespace(this, 'gateway namespace', props.namespace ?? 'maas-egress');
    this.pathPrefix = checkSlashedPath(this, 'path prefix', props.pathPrefix ?? '/external/');
    if (props.platform !== undefined && !(props.platform instanceof MaasPlatform)) {
      throw inputError(this, 'platform', describeGiven(props.platform), 'give platform: MaasPlatform.tierBased({...}) or MaasPlatform.subscriptionBased({...})');
    }
    if (props.dataPlane !== undefined && !isDataPlane(props.dataPlane)) {
      throw inputError(this, 'data plane', describeGiven(props.dataPlane),
        'give dataPlane: EgressDataPlane.direct(), EgressDataPlane.istioGateway({...}), EgressDataPlane.wgAiGateway({...}) or an IEgressDataPlane (a kind and a bind method)');
    }
    this.platform = props.platform ?? MaasPlatform.tierBased();
    this._dataPlaneProp = props.dataPlane;
    this.dataPlane = props.dataPlane ?? EgressDataPlane.direct();
    this.registryName = props.registryName;
    if ((props.createNamespace ?? true) && this.namespace !== 'default') ensureNamespace(this, this.namespace);
    this._realization = this.platform._realize(this);
  }

  /** The external model registry the MaaS API lists (tier-based platform). */
  public get registry(): IModelRegistry | undefined {
    return this._realization.registry;
  }

  /**
   * Declares a Secret that is created outside Git (a CA bundle with `ca.crt`, a
   * client certificate) in the namespace of the proxy that originates TLS (the
   * egress gateway's, or the MaaS gateway's on the direct plane), so TLS
   * references to it pass the synth-time integrity check. Returns the name.
   */
  public declareExistingSecret(name: string): string {
    checkDnsSubdomain(this, 'existing Secret name', name);
    const namespace = this._realization.plane?.proxyNamespace ?? this.namespace;
    declareExistingObject(this, { group: '', kind: 'Secret', namespace, name });
    return name;
  }

  /** The providers added so far, in order. */
  public get providers(): ExternalProvider[] {
    return [...this.providerList];
  }

  /** @internal The providers, as data planes and platforms see them. */
  public get _providers(): IExternalProvider[] {
    return this.providers;
  }

  /** The MaaS gateway that clients call: the platform's. */
  public get maasGateway(): GatewayReference {
    return this.platform.gateway;
  }

  /** Adds a provider reachable at `<pathPrefix><name>/`. */
  public addProvider(id: string, options: ExternalProviderOptions): ExternalProvider {
    const clash = typeof id === 'string' ? this.node.tryFindChild(id) : undefined;
    if (clash) {
      throw inputError(this, 'provider id', id, `${clash.node.path} already has it; give every provider its own id (and name)`);
    }
    return new ExternalProvider(this, id, { ...options, gateway: this });
  }

  /**
   * Adds one model served by several providers of this gateway, each with a
   * weight: each request goes to one of them, at random in proportion to the
   * weights. Its id must not be in a provider's `models` too.
   */
  public addModel(modelId: string, options: SharedModelOptions): void {
    if (typeof modelId !== 'string' || modelId.length === 0 || modelId.trim() !== modelId) {
      throw inputError(this, 'model id', modelId, 'give a non-empty model id without surrounding white space');
    }
    const routed: ExternalProvider[] = [];
    for (const route of options.routes ?? []) {
      const provider = this.providerList.find((p) => p === route.provider);
      if (!provider) {
        throw inputError(this, `provider of model "${modelId}"`, route.provider?.node?.path ?? route.provider,
          'route a model only to providers added to this gateway (gateway.addProvider)');
      }
      routed.push(provider);
    }
    this._realization.addSharedModel(modelId, options);
    for (const provider of routed) provider._addSharedModel(modelId);
  }

  /**
   * Adds the one OpenAI-style endpoint (`/v1/chat/completions`, `/v1/completions`)
   * on the MaaS gateway that routes by the body's `model` to this gateway's providers.
   */
  public addUnifiedEndpoint(options: UnifiedModelEndpointOptions = {}, id = 'UnifiedEndpoint'): UnifiedModelEndpoint {
    return new UnifiedModelEndpoint(this, id, { ...options, gateway: this });
  }

  /** @internal called by UnifiedModelEndpoint's constructor */
  public _registerUnifiedEndpoint(endpoint: UnifiedModelEndpoint): void {
    if (endpoint.gateway !== this) {
      throw inputError(endpoint, 'gateway', endpoint.gateway.node.path, 'register an endpoint with its own gateway');
    }
    if (this.unifiedEndpoint) {
      throw inputError(endpoint, 'unified endpoint', endpoint.name,
        `${this.unifiedEndpoint.node.path} already routes this gateway's models by body; one unified endpoint per gateway`);
    }
    this.unifiedEndpoint = endpoint;
  }

  /** @internal Calls `listener` for every provider, those added so far and those added later. */
  public _onProvider(listener: (provider: ExternalProvider) => void): void {
    this.providerListeners.push(listener);
    this.providerList.forEach(listener);
  }

  /** @internal called by ExternalProvider's constructor, before the platform emits its objects */
  public _registerProvider(provider: ExternalProvider): void {
    if (provider.gateway !== this) {
      throw inputError(provider, 'gateway', provider.gateway.node.path, 'register a provider with its own gateway');
    }
    const clash = this.providersByName.get(provider.name);
    if (clash) {
      throw inputError(provider, 'provider name', provider.name,
        `${clash.node.path} already uses it on this gateway; give every provider its own name`);
    }
    this.providerList.push(provider);
    this.providersByName.set(provider.name, provider);
  }

  /** @internal called by ExternalProvider's constructor once the platform emitted its objects */
  public _announceProvider(provider: ExternalProvider): void {
    this.providerListeners.forEach((listener) => listener(provider));
  }
}
