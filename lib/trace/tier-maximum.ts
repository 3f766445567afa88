import { MAAS_GATEWAY } from './data-plane';
import { ManifestSet } from './manifest-set';
import { limitNamesTier } from './limit-evaluation';
import { effectivePolicy } from './policy-resolution';
import { type GatewayRef, routesOf } from './route-selection';

/**
 * What one user of `tier` can spend per window across every route of the MaaS
 * gateway, since Kuadrant counts each route on its own: per window, the sum of
 * the route policies' limits that name the tier, and the routes they are on.
 * `undefined` when no route limits the tier.
 */
export function tierMaximum(set: ManifestSet, tier: string, gateway = MAAS_GATEWAY): string | undefined {
  return set.derive(`tier-maximum|${tier}|${gateway.namespace}|${gateway.name}`, () => sumOverRoutes(set, tier, gateway));
}

function sumOverRoutes(set: ManifestSet, tier: string, gateway: GatewayRef): string | undefined {
  const byWindow = new Map<string, { tokens: number; routes: number }>();
  for (const route of routesOf(set, gateway)) {
    const policy = effectivePolicy(set, 'TokenRateLimitPolicy', route, gateway);
    if (!policy) continue;
    for (const limit of Object.values<any>(policy.body ?? {})) {
      if (!limitNamesTier(policy, limit, tier)) continue;
      for (const rate of limit?.rates ?? []) {
        const entry = byWindow.get(String(rate.window)) ?? { tokens: 0, routes: 0 };
        byWindow.set(String(rate.window), { tokens: entry.tokens + Number(rate.limit), routes: entry.routes + 1 });
      }
    }
  }
  if (byWindow.size === 0) return undefined;
  return [...byWindow.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([window, { tokens, routes }]) => `${tokens} tokens per ${window} over ${routes} limit(s) on the MaaS gateway's routes`).join('; ');
}
