import type { IConstruct } from 'constructs';
import { checkDnsLabel, checkDuration, checkNonEmpty, checkPositiveInteger } from '../internal/checks';
import { inputError } from '../internal/errors';

/** A token budget for one tier. */
export interface TierLimit {
  /** Tier name as derived by the identity contract, e.g. `free`. */
  readonly tier: string;
  /** Tokens (`usage.total_tokens`) a user of the tier may spend per window. */
  readonly tokens: number;
  /**
   * Window in Kuadrant's duration format.
   * @default '1m'
   */
  readonly window?: string;
}

/** The tiers MaaS ships with (its gateway TokenRateLimitPolicy). */
export const MAAS_DEFAULT_TIERS: readonly TierLimit[] = [
  { tier: 'free', tokens: 100, window: '1m' },
  { tier: 'premium', tokens: 50000, window: '1m' },
  { tier: 'enterprise', tokens: 100000, window: '1m' },
];

/** Validates per-tier token limits (names, amounts, windows, one limit per tier) and fills in the default window. */
export function resolveTierLimits(scope: IConstruct, limits: readonly TierLimit[]): Required<TierLimit>[] {
  const resolved = checkNonEmpty(scope, 'tier limit list', limits).map((limit) => ({
    tier: checkDnsLabel(scope, 'tier name', limit?.tier),
    tokens: checkPositiveInteger(scope, `token limit of tier "${limit.tier}"`, limit.tokens),
    window: checkDuration(scope, `window of tier "${limit.tier}"`, limit.window ?? '1m'),
  }));
  const tiers = new Set<string>();
  for (const limit of resolved) {
    if (tiers.has(limit.tier)) throw inputError(scope, 'tier', limit.tier, 'give each tier one limit in a budget');
    tiers.add(limit.tier);
  }
  return resolved;
}

/**
 * The limits a route policy carries: one per tier the platform knows, the
 * budget's own where it names the tier, the platform's default otherwise. A
 * tier the platform does not know is an error listing the known ones.
 */
export function restateKnownTiers(scope: IConstruct, own: readonly Required<TierLimit>[],
  known: readonly Required<TierLimit>[]): Required<TierLimit>[] {
  const knownNames = known.map((t) => t.tier);
  for (const limit of own) {
    if (!knownNames.includes(limit.tier)) {
      throw inputError(scope, 'tier', limit.tier,
        `the platform knows the tiers ${knownNames.map((t) => `"${t}"`).join(', ')}; budget one of them, or add the tier to MaasPlatform.tierBased({ tiers })`);
    }
  }
  return known.map((platform) => own.find((l) => l.tier === platform.tier) ?? platform);
}
