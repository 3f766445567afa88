import { parse } from 'yaml';
import { Manifest } from '../../lib/core/manifest';

/** One row of "who may spend how many tokens on which model": derived from synthesized objects only. */
export interface AccessRow {
  readonly model: string;
  readonly tier: string;
  readonly limit: number;
  /** Window in seconds, so that Kuadrant's `60s` and MaaS's `1m` compare equal. */
  readonly seconds: number;
}

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
function seconds(window: string): number {
  return [...window.matchAll(/([0-9]+)(ms|h|m|s)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit], 0);
}

export const byRow = (a: AccessRow, b: AccessRow): number => `${a.model}|${a.tier}`.localeCompare(`${b.model}|${b.tier}`) || a.limit - b.limit;

/**
 * Tier-based output: the registry ConfigMap says which provider serves which
 * model; each TokenRateLimitPolicy on a provider's bridge route (or on a whole
 * gateway) limits per tier, the tier read from the limit's CEL predicate.
 */
export function tierBasedTable(manifests: readonly Manifest[]): AccessRow[] {
  const registry = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'external-model-registry') as any;
  const entries = parse(registry.data.models) as Array<{ id: string; provider: string }>;
  const bridges = new Map(manifests.filter((m) => m.kind === 'HTTPRoute' && m.metadata.name.endsWith('-bridge'))
    .map((m) => [m.metadata.name, m.metadata.name.replace(/-bridge$/, '')]));
  const rows: AccessRow[] = [];
  for (const policy of manifests.filter((m) => m.kind === 'TokenRateLimitPolicy') as any[]) {
    const target = policy.spec.targetRef;
    const models = target.kind === 'Gateway'
      ? entries.map((e) => e.id)
      : entries.filter((e) => e.provider === bridges.get(target.name)).map((e) => e.id);
    for (const limit of Object.values(policy.spec.limits) as any[]) {
      // the 0-token limit for tiers the platform does not know has no row of its own
      const named = /== "([^"]+)"/.exec(limit.when[0].predicate);
      if (!named) continue;
      const tier = named[1];
      for (const rate of limit.rates) for (const model of models) rows.push({ model, tier, limit: rate.limit, seconds: seconds(rate.window) });
    }
  }
  return rows.sort(byRow);
}

/**
 * Subscription-based output: each MaaSSubscription (tier = its name's suffix)
 * lists MaaSModelRefs with limits; the MaaSModelRef names an ExternalModel whose
 * name is the model id clients send (MaaS lists and subscribes by it).
 */
export function subscriptionTable(manifests: readonly Manifest[]): AccessRow[] {
  const rows: AccessRow[] = [];
  for (const subscription of manifests.filter((m) => m.kind === 'MaaSSubscription') as any[]) {
    const tier = subscription.metadata.name.replace(/^maas-egress-/, '');
    for (const ref of subscription.spec.modelRefs) {
      const model = modelIdOf(manifests, ref.name, ref.namespace);
      for (const rate of ref.tokenRateLimits) rows.push({ model, tier, limit: rate.limit, seconds: seconds(rate.window) });
    }
  }
  return rows.sort(byRow);
}

/** (model, tier) pairs MaaSAuthPolicies grant, the tier by the policy's name. */
export function subscriptionGrants(manifests: readonly Manifest[]): string[] {
  return (manifests.filter((m) => m.kind === 'MaaSAuthPolicy') as any[]).flatMap((policy) => {
    const tier = policy.metadata.name.replace(/^maas-egress-/, '').replace(/-access$/, '');
    return policy.spec.modelRefs.map((ref: any) => `${modelIdOf(manifests, ref.name, ref.namespace)}|${tier}`);
  }).sort();
}

function modelIdOf(manifests: readonly Manifest[], refName: string, namespace: string): string {
  const modelRef = manifests.find((m) => m.kind === 'MaaSModelRef' && m.metadata.name === refName && m.metadata.namespace === namespace) as any;
  const externalModel = manifests.find((m) => m.kind === 'ExternalModel' && m.metadata.name === modelRef.spec.modelRef.name
    && m.metadata.namespace === namespace) as any;
  return externalModel.metadata.name;
}
