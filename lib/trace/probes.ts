import { tiersNamedIn } from './cel-subset';
import { externalModelRefs, ownerGroupsOf, subscriptionOfTier } from './current-maas';
import { MAAS_GATEWAY } from './data-plane';
import { GROUP, ManifestSet } from './manifest-set';
import { modelRoutersOf } from './model-router';
import { routesOf } from './route-selection';
import type { TraceOptions } from './tracer';

/** A representative request for one provider, model or path of an output, which the diff traces in both outputs. */
export interface Probe {
  /** What it stands for, e.g. `provider openai` or `model gpt-4`; the diff matches probes by it. */
  readonly subject: string;
  readonly method: string;
  readonly path: string;
  /** Body, for model-routed paths. */
  readonly body?: string;
}

/** A caller the diff traces every probe as: no token, one per tier, one per MaaS group. */
export interface ProbeCaller {
  /** E.g. `no token`, `tier free`, `group premium-users`. */
  readonly label: string;
  readonly user?: string;
  readonly tier?: string;
  readonly groups?: readonly string[];
}

const COMPLETIONS = 'v1/chat/completions';

/** Probes for the providers, unified-endpoint models and subscription models of `set`. */
export function probesOf(set: ManifestSet): Probe[] {
  const probes = new Map<string, Probe>();
  const add = (probe: Probe): void => {
    if (!probes.has(probe.subject)) probes.set(probe.subject, probe);
  };
  const routers = modelRoutersOf(set, MAAS_GATEWAY.namespace, MAAS_GATEWAY.name);
  for (const route of routesOf(set, MAAS_GATEWAY)) {
    for (const rule of route.spec?.rules ?? []) {
      for (const match of rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]) {
        const value = String(match.path?.value ?? '/');
        if ((match.path?.type ?? 'PathPrefix') === 'Exact') {
          const router = routers.find((r) => r.paths.includes(value));
          if (!router) {
            add({ subject: `path ${value}`, method: 'POST', path: value });
            continue;
          }
          for (const r of router.routes.values()) add({ subject: `model ${r.model}`, method: 'POST', path: value, body: JSON.stringify({ model: r.model }) });
        } else if (match.path?.type !== 'RegularExpression') {
          const base = value.endsWith('/') ? value : `${value}/`;
          const provider = /^\/external\/([^/]+)\//.exec(base);
          const path = base.endsWith('/v1/') ? `${base}chat/completions` : `${base}${COMPLETIONS}`;
          add({ subject: provider ? `provider ${provider[1]}` : `path ${value}`, method: 'POST', path, body: JSON.stringify({ model: 'any' }) });
        }
      }
    }
  }
  for (const entry of externalModelRefs(set)) {
    add({ subject: `MaaS model ${entry.modelName}`, method: 'POST', path: `/${COMPLETIONS}`, body: JSON.stringify({ model: entry.modelName }) });
  }
  return [...probes.values()].sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}

/** Tiers named in the rate limit policies of `set`, and the groups of its MaaS subscriptions and auth policies. */
export function callersOf(sets: readonly ManifestSet[]): ProbeCaller[] {
  const tiers = new Set<string>();
  const groups = new Set<string>();
  for (const set of sets) {
    for (const kind of ['RateLimitPolicy', 'TokenRateLimitPolicy', 'AuthPolicy']) {
      for (const policy of set.all(GROUP.kuadrant, kind)) for (const tier of tiersNamedIn(JSON.stringify(policy.spec ?? {}).replace(/\\"/g, '"'))) tiers.add(tier);
    }
    for (const kind of ['MaaSSubscription', 'MaaSAuthPolicy']) {
      for (const o of set.all(GROUP.maas, kind)) {
        for (const g of [...(o.spec?.owner?.groups ?? []), ...(o.spec?.subjects?.groups ?? [])]) groups.add(g.name);
      }
    }
  }
  // a tier of a subscription output is its subscription's groups, so a tier-based output and a subscription one compare tier with tier
  for (const set of sets) for (const s of set.all(GROUP.maas, 'MaaSSubscription')) {
    const tier = /^maas-egress-(.+)$/.exec(s.metadata.name)?.[1];
    if (tier !== undefined) tiers.add(tier);
  }
  // each tier's owner groups, from the first output with a subscription for it
  const tierGroups = new Map<string, string[]>();
  for (const tier of tiers) {
    const subscription = sets.map((set) => subscriptionOfTier(set, tier)).find(Boolean);
    if (subscription) tierGroups.set(tier, ownerGroupsOf(subscription));
  }
  const callers: ProbeCaller[] = [{ label: 'no token' }];
  for (const tier of [...tiers].sort()) callers.push({ label: `tier ${tier}`, user: 'diff-user', tier, groups: tierGroups.get(tier) });
  const tierOwned = new Set([...tierGroups.values()].flat());
  for (const group of [...groups].filter((g) => !tierOwned.has(g)).sort()) callers.push({ label: `group ${group}`, user: 'diff-user', groups: [group] });
  if (callers.length === 1) callers.push({ label: 'any token', user: 'diff-user', tier: 'unnamed' });
  return callers;
}

/** The trace options of a probe for a caller. */
export function probeRequest(probe: Probe, caller: ProbeCaller): TraceOptions {
  return {
    method: probe.method,
    path: probe.path,
    user: caller.user,
    tier: caller.tier,
    groups: caller.groups,
    body: probe.body === undefined ? undefined : Buffer.from(probe.body, 'utf8'),
  };
}
