import type { TokenRateLimitPolicySpecLimits } from '../../../imports/kuadrant.io';
import { celQuoted } from '../../internal/cel';
import { MaasIdentity } from '../../contracts/maas-identity';
import type { TierLimit } from '../../contracts/tier-limits';

/** Name of the limit that gives a tier the platform does not know no tokens at all. */
export const UNKNOWN_TIER_LIMIT = 'unknown-tier-tokens';

/** Options of {@link tierTokenLimits}. */
export interface TierTokenLimitOptions {
  /** A predicate every limit also needs (e.g. the request's model), besides the tier. */
  readonly when?: string;
  /** Suffix of every limit name, to keep several groups apart in one policy. */
  readonly nameSuffix?: string;
}

/**
 * TokenRateLimitPolicy limits, counted per user on `usage.total_tokens`: one
 * per tier in `limits` (every tier the platform knows) and one of 0 tokens for
 * any other tier. `/v1/models` is never counted.
 */
export function tierTokenLimits(limits: readonly Required<TierLimit>[], identity: MaasIdentity,
  options: TierTokenLimitOptions = {}): Record<string, TokenRateLimitPolicySpecLimits> {
  const suffix = options.nameSuffix ? `-${options.nameSuffix}` : '';
  const extra = options.when ? ` && ${options.when}` : '';
  const notModels = '!request.path.endsWith("/v1/models")';
  const limit = (tokens: number, window: string, tierPredicate: string): TokenRateLimitPolicySpecLimits => ({
    rates: [{ limit: tokens, window }],
    when: [{ predicate: `${tierPredicate} && ${notModels}${extra}` }],
    counters: [{ expression: identity.userIdSelector }],
  });
  const known = limits.map((l) => celQuoted(l.tier)).join(', ');
  return {
    ...Object.fromEntries(limits.map((l) => [`${l.tier}-user-tokens${suffix}`,
      limit(l.tokens, l.window, `${identity.tierSelector} == ${celQuoted(l.tier)}`)])),
    [`${UNKNOWN_TIER_LIMIT}${suffix}`]: limit(0, limits[0]?.window ?? '1m', `!(${identity.tierSelector} in [${known}])`),
  };
}
