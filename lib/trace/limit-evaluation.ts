import { type CelContext, evaluateCel } from './cel-subset';
import type { EffectivePolicy } from './policy-resolution';
import type { TraceLimit } from './trace-result';

/**
 * The limits of a RateLimitPolicy or TokenRateLimitPolicy that count a
 * request: those whose `when` predicates all hold, plus those whose
 * predicates can only be decided at request time (with that condition).
 */
/** The predicates Kuadrant evaluates for `limit` of `policy`: the policy's top-level `when`, then the limit's own. */
export function limitPredicates(policy: EffectivePolicy, limit: any): string[] {
  return [...policy.policy.spec?.when ?? [], ...limit?.when ?? []].map((w: any) => String(w?.predicate ?? ''));
}

/** True when `limit` of `policy` applies to tier `tier` by name (`auth.identity.tier == "<tier>"`). */
export function limitNamesTier(policy: EffectivePolicy, limit: any, tier: string): boolean {
  return limitPredicates(policy, limit).some((p) => p.includes(`auth.identity.tier == "${tier}"`));
}

export function countingLimits(policy: EffectivePolicy, ctx: CelContext, route?: string): TraceLimit[] {
  const kind = policy.policy.kind;
  const unit = kind === 'TokenRateLimitPolicy' ? 'tokens' : 'requests';
  const limits: TraceLimit[] = [];
  for (const [name, limit] of Object.entries<any>(policy.body ?? {})) {
    const predicates = limitPredicates(policy, limit);
    const results = predicates.map((p) => evaluateCel(p, ctx));
    if (results.some((r) => r === false)) continue;
    const open = predicates.filter((_, i) => results[i] !== true);
    const counters: string[] = (limit?.counters ?? []).map((c: any) => String(c.expression ?? c));
    for (const rate of limit?.rates ?? []) {
      limits.push({
        kind,
        policy: `${policy.policy.metadata.namespace}/${policy.policy.metadata.name}`,
        name,
        amount: Number(rate.limit),
        window: String(rate.window),
        unit,
        counter: counters.length > 0 ? counters.join(', ') : '(shared)',
        ...(route !== undefined && { route }),
        ...(open.length > 0 && { condition: open.join(' && ') }),
      });
    }
  }
  return limits;
}

/** `100 tokens per 1m per auth.identity.userid`. */
export function describeLimit(limit: TraceLimit): string {
  const per = limit.counter === '(shared)' ? 'shared by all callers' : `per ${limit.counter}`;
  // Kuadrant's Limitador namespace is the route: each route counts on its own
  const scope = limit.route ? ` on route ${limit.route} alone` : '';
  return `${limit.amount} ${limit.unit} per ${limit.window} ${per}${scope} (${limit.kind} ${limit.policy}, limit ${limit.name})`
    + (limit.condition ? ` when ${limit.condition}` : '');
}
