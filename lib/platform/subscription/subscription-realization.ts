import { Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { MaaSAuthPolicy, MaaSSubscription } from '../../../imports/maas.opendatahub.io';
import { ProviderCredential } from '../../credentials/provider-credential';
import { inputError } from '../../internal/errors';
import { ProviderEndpoint } from '../../providers/provider-endpoint';
import { checkIppEndpoint, emitIppExternalProvider } from './ipp-external-provider';
import { emitIppExternalModel, IppModelRoute } from './ipp-external-model';
import { modelResourceName } from './model-resource-name';
import { SubscriptionSettings } from './subscription-settings';
import { toMaasWindow } from './token-window';

/** A provider as the subscription platform realizes it. */
export interface SubscriptionProviderInput {
  /** Provider name (ExternalProvider name, Secret prefix). */
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

interface TierRate {
  readonly modelName: string;
  readonly tier: string;
  readonly limit: number;
  readonly window: string;
}

interface ModelEntry {
  readonly name: string;
  readonly providers: ReadonlySet<string>;
  readonly owner: string;
}

/**
 * What one egress gateway becomes on current MaaS, built up as providers, models
 * and budgets are added: per provider its key Secret and ExternalProvider, per
 * model an ExternalModel and MaaSModelRef, per tier a MaaSSubscription and a
 * MaaSAuthPolicy whose model lists are filled in at synthesis.
 */
export class SubscriptionRealization {
  private readonly endpoints = new Map<string, ProviderEndpoint>();
  private readonly models = new Map<string, ModelEntry>();
  private readonly explicit: TierRate[] = [];
  private readonly tiersEmitted = new Set<string>();

  constructor(
    private readonly scope: Construct,
    private readonly settings: SubscriptionSettings,
    /** Namespace of providers, key Secrets, models and MaaSModelRefs. */
    public readonly namespace: string,
  ) {}

  /** Emits a provider, its key Secret and one single-provider model per model id. */
  public addProvider(scope: Construct, provider: SubscriptionProviderInput): void {
    checkIppEndpoint(scope, provider.endpoint, this.settings);
    const secretName = `${provider.name}-api-key`;
    provider.credential._emitIppKeySecret(scope, { name: secretName, namespace: this.namespace, keyStore: this.settings.keyStore });
    emitIppExternalProvider(scope, { name: provider.name, namespace: this.namespace, endpoint: provider.endpoint, secretName });
    this.endpoints.set(provider.name, provider.endpoint);
    for (const model of provider.models) {
      this.addModel(scope, model, [{ providerName: provider.name, targetModel: model, weight: 1 }]);
    }
  }

  /** Emits one model served by the given providers with their weights. */
  public addModel(scope: Construct, modelId: string, routes: readonly SubscriptionRouteInput[]): void {
    const clash = this.models.get(modelId);
    if (clash) {
      throw inputError(scope, 'model id', modelId,
        `${clash.owner} already serves it on this gateway; serve a model from several providers with one addModel(...) listing them all`);
    }
    const resolved: IppModelRoute[] = routes.map((route) => {
      const endpoint = this.endpoints.get(route.providerName);
      if (!endpoint) throw inputError(scope, 'provider', route.providerName, 'route models only to providers added to this gateway before');
      return { ...route, endpoint };
    });
    const name = emitIppExternalModel(new Construct(scope, `Model-${modelResourceName(modelId)}`), { modelId, namespace: this.namespace, routes: resolved });
    for (const [id, entry] of this.models) {
      if (entry.name === name) throw inputError(scope, 'model id', modelId, `its object name "${name}" is taken by model "${id}"; rename one`);
    }
    this.models.set(modelId, { name, providers: new Set(routes.map((r) => r.providerName)), owner: scope.node.path });
    for (const tier of this.settings.tiers) if (tier.defaultTokensPerMinute > 0) this.ensureTier(tier.tier);
  }

  /** Model ids served (alone or shared) by any of the named providers, sorted. */
  public modelsOf(providerNames: readonly string[]): string[] {
    return [...this.models].filter(([, entry]) => providerNames.some((p) => entry.providers.has(p))).map(([id]) => id).sort();
  }

  /** Every model id, sorted. */
  public get modelIds(): string[] {
    return [...this.models.keys()].sort();
  }

  /** Records per-tier limits of `source` on the given models (windows converted to MaaS's format). */
  public addTierLimits(source: IConstruct, limits: readonly TierLimitInput[], modelIds: readonly string[]): void {
    const known = new Map(this.settings.tiers.map((t) => [t.tier, t]));
    for (const limit of limits) {
      if (!known.has(limit.tier)) {
        throw inputError(source, 'tier', limit.tier,
          `the platform maps no groups to it; add { tier: "${limit.tier}", groups: [...] } to the platform's tiers (known: ${[...known.keys()].join(', ')})`);
      }
      const window = toMaasWindow(source, `window of tier "${limit.tier}"`, limit.window);
      for (const id of modelIds) {
        const model = this.models.get(id);
        if (!model) throw inputError(source, 'model id', id, 'budget only models added to the gateway');
        this.explicit.push({ modelName: model.name, tier: limit.tier, limit: limit.tokens, window });
      }
      if (modelIds.length > 0) this.ensureTier(limit.tier);
    }
  }

  private ensureTier(tierName: string): void {
    if (this.tiersEmitted.has(tierName)) return;
    this.tiersEmitted.add(tierName);
    const tier = this.settings.tiers.find((t) => t.tier === tierName)!;
    const groups = tier.groups.map((name) => ({ name }));
    const entries = () => this.entriesOf(tierName);
    new MaaSSubscription(this.scope, `Subscription-${tierName}`, {
      metadata: { name: `${ACCESS_NAME_PREFIX}-${tierName}`, namespace: this.settings.subscriptionNamespace },
      spec: { owner: { groups }, priority: tier.priority, modelRefs: Lazy.any({ produce: entries }) },
    });
    new MaaSAuthPolicy(this.scope, `AuthPolicy-${tierName}`, {
      metadata: { name: `${ACCESS_NAME_PREFIX}-${tierName}-access`, namespace: this.settings.subscriptionNamespace },
      spec: {
        modelRefs: Lazy.any({ produce: () => entries().map(({ name, namespace }) => ({ name, namespace })) }),
        subjects: { groups },
      },
    });
  }

  private entriesOf(tierName: string): Array<{ name: string; namespace: string; tokenRateLimits: Array<{ limit: number; window: string }> }> {
    const tier = this.settings.tiers.find((t) => t.tier === tierName)!;
    const names = [...this.models.values()].map((m) => m.name).sort();
    return names.flatMap((name) => {
      const explicit = this.explicit.filter((l) => l.tier === tierName && l.modelName === name);
      const rates = explicit.length > 0
        ? unique(explicit.map(({ limit, window }) => ({ limit, window })))
        : tier.defaultTokensPerMinute > 0 ? [{ limit: tier.defaultTokensPerMinute, window: '1m' }] : [];
      return rates.length > 0 ? [{ name, namespace: this.namespace, tokenRateLimits: rates }] : [];
    });
  }
}

function unique(rates: Array<{ limit: number; window: string }>): Array<{ limit: number; window: string }> {
  const byKey = new Map(rates.map((r) => [`${r.window}/${r.limit}`, r]));
  return [...byKey.values()].sort((a, b) => a.window.localeCompare(b.window) || a.limit - b.limit);
}
