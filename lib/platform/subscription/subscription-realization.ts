import { ApiObject, Lazy } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import { emittedNamespace } from '../../internal/namespaces';
import { MAAS_DEFAULT_TIERS, resolveTierLimits } from '../../contracts/tier-limits';
import { MaaSAuthPolicy, MaaSSubscription } from '../../../imports/maas.opendatahub.io';
import { ProviderCredential } from '../../credentials/provider-credential';
import { inputError } from '../../internal/errors';
import type { SharedModelOptions } from '../../contracts/model-route';
import { ProviderEndpoint } from '../../providers/provider-endpoint';
import { GatewayReference } from '../../core/gateway-reference';
import type { IPlatformRealization } from '../../contracts/platform-realization';
import { emitAcceptEncodingGuard } from './accept-encoding-guard';
import { checkIppEndpoint, emitIppExternalProvider, providerObjectName } from './ipp-external-provider';
import { checkModelRoutes, emitIppExternalModel, type IppModelRoute } from './ipp-external-model';
import { checkMaasModelId } from './maas-model-id';
import { checkTokenLimit, type SubscriptionSettings } from './subscription-settings';
import { toMaasWindow } from './token-window';
import { AppState } from '../../internal/app-state';
import type { IEgressGateway } from '../../contracts/egress-gateway';
import type { IExternalProvider } from '../../contracts/external-provider';
import type { ITierTokenBudget } from '../../contracts/tier-token-budget';
import type { IUnifiedModelEndpoint } from '../../contracts/unified-model-endpoint';
import { emitIppKeySecret, ippAuthOf } from './ipp-credential';

/** A provider as the subscription platform realizes it. */
export interface SubscriptionProviderInput {
  /** Provider name (IExternalProvider name, Secret prefix). */
  readonly name: string;
  /** Where it is. */
  readonly endpoint: ProviderEndpoint;
  /** Its key. */
  readonly credential: ProviderCredential;
  /** Model ids it serves alone. */
  readonly models: readonly string[];
}

/** A model route by provider name, before the provider's endpoint is looked up. */
export interface SubscriptionRouteInput {
  /** Provider name; the provider must have been added. */
  readonly providerName: string;
  /** Model id at the provider. */
  readonly targetModel: string;
  /** Relative share. */
  readonly weight: number;
}

/** A per-tier limit as budgets give it (Kuadrant window). */
export interface TierLimitInput {
  /** Tier name. */
  readonly tier: string;
  /** Tokens per window. */
  readonly tokens: number;
  /** Kuadrant duration. */
  readonly window: string;
}

/** Prefix of the MaaSAuthPolicies and MaaSSubscriptions this library emits. */
export const ACCESS_NAME_PREFIX = 'maas-egress';

interface ProviderRate {
  readonly providerName: string;
  readonly tier: string;
  readonly limit: number;
  readonly window: string;
}

/** Request timeout of the HTTPRoutes current MaaS creates for external models. */
const MAAS_ROUTE_TIMEOUT = '300s';
/** The gateway that realized each app on this platform. */
const realizedApps = new AppState<{ gateway?: string }>(() => ({}));

/** A model of this gateway; the models map is keyed by its id, which is also its object name. */
interface ModelEntry {
  readonly providers: ReadonlySet<string>;
  readonly targetModels: ReadonlySet<string>;
  readonly owner: string;
}

interface ProviderEntry {
  readonly endpoint: ProviderEndpoint;
  readonly owner: string;
}

/**
 * What one egress gateway becomes on current MaaS, built up as providers, models
 * and budgets are added: per provider its key Secret and IExternalProvider, per
 * model an ExternalModel and MaaSModelRef, per tier a MaaSSubscription and a
 * MaaSAuthPolicy whose model lists are filled in at synthesis.
 */
export class SubscriptionRealization implements IPlatformRealization {
  private readonly providers = new Map<string, ProviderEntry>();
  private readonly models = new Map<string, ModelEntry>();
  private readonly rates: ProviderRate[] = [];
  private readonly tiersEmitted = new Set<string>();
  private readonly scope: Construct;
  /** Namespace of providers, key Secrets, models and MaaSModelRefs. */
  public readonly namespace: string;

  constructor(egress: IEgressGateway, private readonly settings: SubscriptionSettings, gateway: GatewayReference) {
    this.scope = egress;
    this.namespace = egress.namespace;
    rejectDataPlaneProps(egress);
    const realized = realizedApps.of(egress);
    const other = realized.gateway;
    if (other !== undefined) {
      throw inputError(egress, 'egress gateway', egress.node.path,
        `${other} already offers this app's models on current MaaS; add every provider to that one gateway (one set of subscriptions per app)`);
    }
    realized.gateway = egress.node.path;
    egress.node.addValidation({ validate: () => [...kuadrantObjectsOf(egress), ...this.danglingBillingRates(egress)] });
    // the payload processor's HTTPRoutes live here; MaaS's gateway admits them only from namespaces it allows
    const namespace = emittedNamespace(egress, this.namespace);
    for (const [key, value] of Object.entries(settings.modelNamespaceLabels)) namespace?.metadata.addLabel(key, value);
    // without it a compressed provider answer is never counted by MaaS's token limits
    emitAcceptEncodingGuard(egress, gateway, `${ACCESS_NAME_PREFIX}-accept-encoding-guard`);
  }

  public addProvider(provider: IExternalProvider): void {
    if (provider.requestTimeout !== MAAS_ROUTE_TIMEOUT) {
      throw inputError(provider, 'request timeout', provider.requestTimeout,
        `current MaaS creates the model routes itself, with ${MAAS_ROUTE_TIMEOUT} timeouts; leave requestTimeout out`);
    }
    if (provider.bridgeNamespace !== this.namespace) {
      throw inputError(provider, 'bridge namespace', provider.bridgeNamespace,
        'current MaaS has no bridge routes: providers, keys and models live in the egress gateway\'s namespace; leave bridgeNamespace out');
    }
    this.realizeProvider(provider, { name: provider.name, endpoint: provider.endpoint, credential: provider.credential, models: provider.models });
  }

  public addProviderBudget(budget: ITierTokenBudget, provider: IExternalProvider): void {
    // a budget without limits gives MaaS's tiers
    this.addProviderLimits(budget, provider.name, budget._resolvedLimits.length > 0 ? budget._resolvedLimits : resolveTierLimits(budget, MAAS_DEFAULT_TIERS));
  }

  public addSharedModel(modelId: string, options: SharedModelOptions): void {
    const routes = options.routes ?? [];
    this.addModel(this.scope, modelId, routes.map((route) => ({
      providerName: route.provider.name,
      targetModel: route.targetModel ?? modelId,
      weight: route.weight ?? 1,
    })), options.displayName);
  }

  public addUnifiedEndpoint(endpoint: IUnifiedModelEndpoint): void {
    throw inputError(endpoint, 'unified endpoint', endpoint.name,
      'current MaaS routes by the body\'s model itself: every model is served at the MaaS gateway\'s /v1/chat/completions; drop addUnifiedEndpoint and budget models with TierTokenBudget');
  }

  /** Emits a provider, its key Secret and one single-provider model per model id. */
  public realizeProvider(scope: Construct, provider: SubscriptionProviderInput): void {
    const credential = provider.credential._source(scope);
    const auth = ippAuthOf(scope, credential, provider.endpoint.hostname);
    checkIppEndpoint(scope, provider.endpoint, this.settings, auth.type);
    const sameHost = [...this.providers.values()].find((p) => p.endpoint.hostname === provider.endpoint.hostname);
    if (sameHost) {
      throw inputError(scope, 'provider endpoint', provider.endpoint.hostname,
        `${sameHost.owner} has it too; the payload processor makes one DestinationRule per provider and Istio applies only one of two for a host, so serve every model of that host from one provider`);
    }
    for (const model of provider.models) checkMaasModelId(scope, model, this.settings.release, provider.name);
    const secretName = `${provider.name}-api-key`;
    emitIppKeySecret(scope, credential, { name: secretName, namespace: this.namespace, keyStore: this.settings.keyStore });
    emitIppExternalProvider(scope, { name: providerObjectName(provider.name), namespace: this.namespace, endpoint: provider.endpoint, secretName, auth });
    this.providers.set(provider.name, { endpoint: provider.endpoint, owner: scope.node.path });
    for (const model of provider.models) {
      this.addModel(scope, model, [{ providerName: provider.name, targetModel: model, weight: 1 }]);
    }
  }

  /** Emits one model served by the given providers with their weights. */
  public addModel(scope: Construct, modelId: string, routes: readonly SubscriptionRouteInput[], displayName?: string): void {
    checkMaasModelId(scope, modelId, this.settings.release);
    const clash = this.models.get(modelId);
    if (clash) {
      throw inputError(scope, 'model id', modelId,
        `${clash.owner} already serves it on this gateway; serve a model from several providers with one addModel(...) listing them all`);
    }
    const resolved: IppModelRoute[] = routes.map((route) => {
      const provider = this.providers.get(route.providerName);
      if (!provider) throw inputError(scope, 'provider', route.providerName, 'route models only to providers added to this gateway before');
      return { ...route, providerObjectName: providerObjectName(route.providerName), endpoint: provider.endpoint };
    });
    checkModelRoutes(scope, modelId, resolved, this.settings.release);
    this.checkTargetModels(scope, modelId, new Set(routes.map((r) => r.targetModel)));
    if (displayName !== undefined && (typeof displayName !== 'string' || displayName.trim() === '' || displayName.length > 253)) {
      throw inputError(scope, `display name of model "${modelId}"`, displayName, 'give a name of 1 to 253 characters, or leave displayName out');
    }
    emitIppExternalModel(new Construct(scope, `Model-${modelId}`), { modelId, namespace: this.namespace, routes: resolved, displayName });
    this.models.set(modelId, {
      providers: new Set(routes.map((r) => r.providerName)),
      targetModels: new Set(routes.map((r) => r.targetModel).filter((t) => t !== modelId)),
      owner: scope.node.path,
    });
    for (const tier of this.settings.tiers) if (tier.defaultTokensPerMinute > 0) this.ensureTier(tier.tier);
  }

  /**
   * A target model that is another model's id makes the payload processor's
   * routes of the two models overlap (both match that model header), so requests
   * for one may be routed and metered as the other.
   */
  private checkTargetModels(scope: IConstruct, modelId: string, targets: ReadonlySet<string>): void {
    for (const [id, entry] of this.models) {
      if (targets.has(id) && id !== modelId) {
        throw inputError(scope, `target model of model "${modelId}"`, id,
          `it is also the id of the model that ${entry.owner} serves; the payload processor's routes of the two would overlap and meter one as the other: serve "${id}" only as its own model, or rename it`);
      }
      if (entry.targetModels.has(modelId)) {
        throw inputError(scope, 'model id', modelId,
          `model "${id}" (${entry.owner}) sends it to its provider as target model; the payload processor's routes of the two would overlap and meter one as the other: rename one`);
      }
    }
  }

  /**
   * Records per-tier limits of `source` on everything `providerName` serves: its
   * own models and shared models routed to it (windows converted to MaaS's format).
   */
  public addProviderLimits(source: IConstruct, providerName: string, limits: readonly TierLimitInput[]): void {
    const known = new Map(this.settings.tiers.map((t) => [t.tier, t]));
    for (const limit of limits) {
      if (!known.has(limit.tier)) {
        throw inputError(source, 'tier', limit.tier,
          `the platform maps no groups to it; add { tier: "${limit.tier}", groups: [...] } to the platform's tiers (known: ${[...known.keys()].join(', ')})`);
      }
      const window = toMaasWindow(source, `window of tier "${limit.tier}"`, limit.window);
      checkTokenLimit(source, `tokens of tier "${limit.tier}"`, limit.tokens);
      this.rates.push({ providerName, tier: limit.tier, limit: limit.tokens, window });
      this.ensureTier(limit.tier);
    }
  }

  private danglingBillingRates(egress: IEgressGateway): string[] {
    return [...this.settings.billingRates.keys()].filter((model) => !this.models.has(model))
      .map((model) => `${egress.node.path}: the platform's billingRates name model "${model}", which this gateway does not serve (models: ${[...this.models.keys()].sort().join(', ')})`);
  }

  private ensureTier(tierName: string): void {
    if (this.tiersEmitted.has(tierName)) return;
    this.tiersEmitted.add(tierName);
    const tier = this.settings.tiers.find((t) => t.tier === tierName)!;
    const groups = tier.groups.map((name) => ({ name }));
    const entries = () => this.entriesOf(tierName);
    new MaaSSubscription(this.scope, `Subscription-${tierName}`, {
      metadata: { name: `${ACCESS_NAME_PREFIX}-${tierName}`, namespace: this.settings.subscriptionNamespace },
      spec: { owner: { groups }, priority: tier.priority, modelRefs: Lazy.any({ produce: entries }), tokenMetadata: tier.metering },
    });
    new MaaSAuthPolicy(this.scope, `AuthPolicy-${tierName}`, {
      metadata: { name: `${ACCESS_NAME_PREFIX}-${tierName}-access`, namespace: this.settings.subscriptionNamespace },
      spec: {
        modelRefs: Lazy.any({ produce: () => entries().map(({ name, namespace }) => ({ name, namespace })) }),
        subjects: { groups },
        meteringMetadata: tier.metering,
      },
    });
  }

  private entriesOf(tierName: string): Array<{ name: string; namespace: string; tokenRateLimits: Array<{ limit: number; window: string }>; billingRate?: { perToken: string } }> {
    const tier = this.settings.tiers.find((t) => t.tier === tierName)!;
    const models = [...this.models].sort(([a], [b]) => a.localeCompare(b));
    return models.flatMap(([name, { providers }]) => {
      const explicit = this.rates.filter((r) => r.tier === tierName && providers.has(r.providerName));
      const rates = explicit.length > 0
        ? unique(explicit.map(({ limit, window }) => ({ limit, window })))
        : tier.defaultTokensPerMinute > 0 ? [{ limit: tier.defaultTokensPerMinute, window: '1m' }] : [];
      const perToken = this.settings.billingRates.get(name);
      return rates.length > 0 ? [{ name, namespace: this.namespace, tokenRateLimits: rates, ...(perToken !== undefined && { billingRate: { perToken } }) }] : [];
    });
  }
}

function rejectDataPlaneProps(egress: IEgressGateway): void {
  const fix = (prop: string, why = '') => `current MaaS creates the model routes itself and the library emits no data plane; leave ${prop} out${why}`;
  if (egress._dataPlaneProp !== undefined) throw inputError(egress, 'data plane', egress._dataPlaneProp.constructor.name, fix('dataPlane'));
  if (egress.gatewayName !== 'egress-gateway') throw inputError(egress, 'gateway name', egress.gatewayName, fix('name'));
  if (egress.pathPrefix !== '/external/') throw inputError(egress, 'path prefix', egress.pathPrefix, fix('pathPrefix', ' (clients call /v1/chat/completions with the model in the body)'));
  if (egress.registryName !== undefined) throw inputError(egress, 'registry name', egress.registryName, 'current MaaS lists models from their MaaSModelRefs; leave registryName out');
}

/** Kuadrant policies in an app that targets current MaaS, which owns every policy on its gateway. */
function kuadrantObjectsOf(egress: IEgressGateway): string[] {
  return egress.node.root.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && c.apiVersion.startsWith('kuadrant.io/'))
    .map((o) => `${o.kind} ${o.node.path}: current MaaS creates the Kuadrant policies from MaaSAuthPolicies and MaaSSubscriptions; budget the gateway's providers (BudgetTarget.allProviders(egress)) instead of a gateway`);
}

function unique(rates: Array<{ limit: number; window: string }>): Array<{ limit: number; window: string }> {
  const byKey = new Map(rates.map((r) => [`${r.window}/${r.limit}`, r]));
  return [...byKey.values()].sort((a, b) => a.window.localeCompare(b.window) || a.limit - b.limit);
}
