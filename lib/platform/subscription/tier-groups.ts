/** Cost attribution MaaS passes to its usage telemetry (MaaSSubscription `tokenMetadata`, MaaSAuthPolicy `meteringMetadata`). */
export interface MaasMetering {
  /**
   * Organization the usage is billed to.
   * @default none
   */
  readonly organizationId?: string;
  /**
   * Cost center the usage is attributed to.
   * @default none
   */
  readonly costCenter?: string;
  /**
   * Further labels for tracking.
   * @default none
   */
  readonly labels?: Record<string, string>;
}

/**
 * How one tier of the tier-based API maps to current MaaS: the groups that own
 * its subscription and may call its models, and its subscription's priority.
 */
export interface TierGroups {
  /** Tier name as used by `TierTokenBudget` limits, e.g. `free`. */
  readonly tier: string;
  /** Kubernetes groups of the tier's users, e.g. `system:authenticated` (every authenticated user). */
  readonly groups: string[];
  /**
   * Subscription priority: a minted MaaS API key is bound to the caller's highest-priority subscription.
   * @default 0
   */
  readonly priority?: number;
  /**
   * Tokens per minute for models that no budget limits for this tier (MaaS needs a limit on every subscribed model).
   * @default no subscription entry: models without a budget for this tier are not subscribed
   */
  readonly defaultTokensPerMinute?: number;
  /**
   * Cost attribution of this tier's subscription and access policy, over the platform's `metering`.
   * @default the platform's metering
   */
  readonly metering?: MaasMetering;
}

/**
 * The tiers of tier-based MaaS as the seed's `tier-to-group-mapping` defined them,
 * with priorities by tier level and MaaS's default per-minute token limits.
 */
export const MAAS_DEFAULT_TIER_GROUPS: readonly TierGroups[] = [
  { tier: 'free', groups: ['system:authenticated'], priority: 0, defaultTokensPerMinute: 100 },
  { tier: 'premium', groups: ['tier-premium-users', 'premium-group'], priority: 10, defaultTokensPerMinute: 50000 },
  { tier: 'enterprise', groups: ['tier-enterprise-users', 'enterprise-group', 'admin-group'], priority: 20, defaultTokensPerMinute: 100000 },
];
