import { Construct, IConstruct } from 'constructs';
import { MaaSAuthPolicy, MaaSSubscription } from '../../../imports/maas.opendatahub.io';
import { inputError } from '../../internal/errors';
import { SubscriptionSettings } from './subscription-settings';

/** Prefix of the MaaSAuthPolicies and MaaSSubscriptions this library emits. */
export const ACCESS_NAME_PREFIX = 'maas-egress';

/** A model as MaaS references it. */
export interface ModelRefName {
  /** Name of the MaaSModelRef. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
}

/** A token limit of one tier on one model, window already in MaaS's format. */
export interface ModelTierLimit {
  /** The model. */
  readonly model: ModelRefName;
  /** Tier name. */
  readonly tier: string;
  /** Tokens per window. */
  readonly tokens: number;
  /** MaaS window, e.g. `1m`. */
  readonly window: string;
  /** Construct path of the budget that set it, for error messages. */
  readonly source: string;
}

/**
 * Emits per tier a `MaaSSubscription` (owner = the tier's groups, its priority,
 * per model the budgets' limits or the tier's default) and a `MaaSAuthPolicy`
 * granting the tier's groups the same models: on current MaaS a caller needs both.
 * A tier with no subscribed model gets neither.
 */
export function emitTierAccess(scope: Construct, settings: SubscriptionSettings, models: readonly ModelRefName[], limits: readonly ModelTierLimit[]): void {
  checkTiersKnown(scope, settings, limits);
  const ordered = [...models].sort((a, b) => key(a).localeCompare(key(b)));
  for (const tier of settings.tiers) {
    const entries = ordered.flatMap((model) => {
      const explicit = limits.filter((l) => l.tier === tier.tier && key(l.model) === key(model));
      const rates = explicit.length > 0
        ? uniqueRates(explicit.map((l) => ({ limit: l.tokens, window: l.window })))
        : tier.defaultTokensPerMinute > 0 ? [{ limit: tier.defaultTokensPerMinute, window: '1m' }] : [];
      return rates.length > 0 ? [{ name: model.name, namespace: model.namespace, tokenRateLimits: rates }] : [];
    });
    if (entries.length === 0) continue;
    const groups = tier.groups.map((name) => ({ name }));
    new MaaSSubscription(scope, `Subscription-${tier.tier}`, {
      metadata: { name: `${ACCESS_NAME_PREFIX}-${tier.tier}`, namespace: settings.subscriptionNamespace },
      spec: { owner: { groups }, priority: tier.priority, modelRefs: entries },
    });
    new MaaSAuthPolicy(scope, `AuthPolicy-${tier.tier}`, {
      metadata: { name: `${ACCESS_NAME_PREFIX}-${tier.tier}-access`, namespace: settings.subscriptionNamespace },
      spec: { modelRefs: entries.map(({ name, namespace }) => ({ name, namespace })), subjects: { groups } },
    });
  }
}

function checkTiersKnown(scope: IConstruct, settings: SubscriptionSettings, limits: readonly ModelTierLimit[]): void {
  const known = new Set(settings.tiers.map((t) => t.tier));
  for (const limit of limits) {
    if (!known.has(limit.tier)) {
      throw inputError(scope, 'tier', limit.tier,
        `${limit.source} limits it, but the platform maps no groups to it; add { tier: "${limit.tier}", groups: [...] } to the platform's tiers (known: ${[...known].join(', ')})`);
    }
  }
}

function uniqueRates(rates: Array<{ limit: number; window: string }>): Array<{ limit: number; window: string }> {
  const seen = new Map(rates.map((r) => [`${r.limit}/${r.window}`, r]));
  return [...seen.values()].sort((a, b) => a.window.localeCompare(b.window) || a.limit - b.limit);
}

function key(model: ModelRefName): string {
  return `${model.namespace}/${model.name}`;
}
