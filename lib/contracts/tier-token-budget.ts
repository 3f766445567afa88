import type { IConstruct } from 'constructs';
import type { MaasIdentity } from './maas-identity';
import type { TierLimit } from './tier-limits';

/** @internal One policy target resolved from a BudgetTarget. */
export interface PolicyTarget {
  readonly kind: 'HTTPRoute' | 'Gateway';
  readonly name: string;
  readonly namespace: string;
  readonly suffix?: string;
  readonly identity: MaasIdentity;
  /** The tiers the platform knows, with its default budgets. */
  readonly knownTiers: readonly Required<TierLimit>[];
}

/** A per-tier token budget as platforms see it (`TierTokenBudget`). */
export interface ITierTokenBudget extends IConstruct {
  /** Name of the policy (prefix for per-provider policies). */
  readonly name: string;
  /** The budgets per tier, as given and checked. */
  readonly limits: TierLimit[];
  /** Identity contract the budget's policies count by. */
  readonly identity: MaasIdentity;
  /** @internal The budgets per tier with every default resolved. */
  readonly _resolvedLimits: Required<TierLimit>[];
  /**
   * @internal Emits a TokenRateLimitPolicy on `target` and returns its per-tier limits:
   * the budget's own where it names the tier, the platform's default otherwise.
   */
  _addPolicy(target: PolicyTarget): Required<TierLimit>[];
}
