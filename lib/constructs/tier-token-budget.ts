import { Construct, IConstruct } from 'constructs';
import { TokenRateLimitPolicy, TokenRateLimitPolicySpecLimits } from '../../imports/kuadrant.io';
import { celQuoted } from '../internal/cel';
import { checkDnsLabel, checkDuration, checkNonEmpty, checkPositiveInteger } from '../internal/checks';
import { inputError } from '../internal/errors';
import { GatewayReference } from '../platform/gateway-reference';
import { MaasIdentity } from '../platform/maas-identity';
import { ExternalProvider } from './external-provider';
import { MaasEgressGateway } from './maas-egress-gateway';
import { declareExistingGateway } from '../validation/existing-objects';
import { registerLibrarySynthesis } from '../internal/library-synthesis';
import { AppState } from '../internal/app-state';

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

/** What a {@link TierTokenBudget} is attached to. */
export abstract class BudgetTarget {
  /** The bridge routes of the given providers: one policy per provider. */
  public static providers(...providers: ExternalProvider[]): BudgetTarget {
    return new ProvidersTarget((budget, add) => {
      // no policy at all would leave the tokens unlimited
      if (providers.length === 0) {
        throw inputError(budget, 'budget target', 'BudgetTarget.providers()',
          'name at least one provider (BudgetTarget.providers(gateway.addProvider(...))), or use BudgetTarget.allProviders(gateway)');
      }
      providers.forEach(add);
    });
  }

  /**
   * The bridge routes of every provider of a gateway, including those added
   * later; synth fails when the gateway has no provider by then.
   */
  public static allProviders(gateway: MaasEgressGateway): BudgetTarget {
    return new ProvidersTarget((budget, add) => {
      gateway.onProvider(add);
      budget.node.addValidation({
        validate: () => (gateway.providers.length > 0 ? [] : [
          `invalid budget target BudgetTarget.allProviders(${gateway.node.path}): that gateway has no provider, so the budget limits nothing; `
          + 'add a provider with gateway.addProvider(...), or remove the budget',
        ]),
      });
    });
  }

  /** A whole Gateway, e.g. the MaaS gateway, replacing its own token policy's defaults. */
  public static gateway(gateway: GatewayReference): BudgetTarget {
    return new GatewayTarget(gateway);
  }

  /** @internal Emits the budget's policies for this target. */
  public abstract _attach(budget: TierTokenBudget): void;
}

/** @internal one policy target resolved from a BudgetTarget */
export interface PolicyTarget {
  readonly kind: 'HTTPRoute' | 'Gateway';
  readonly name: string;
  readonly namespace: string;
  readonly suffix?: string;
  readonly identity: MaasIdentity;
}

class ProvidersTarget extends BudgetTarget {
  constructor(private readonly each: (budget: TierTokenBudget, add: (provider: ExternalProvider) => void) => void) {
    super();
  }
  public _attach(budget: TierTokenBudget): void {
    this.each(budget, (provider) => provider.gateway.realization.addProviderBudget(budget, provider));
  }
}

class GatewayTarget extends BudgetTarget {
  constructor(private readonly gateway: GatewayReference) {
    super();
  }
  public _attach(budget: TierTokenBudget): void {
    declareExistingGateway(budget, this.gateway);
    budget._addPolicy({ kind: 'Gateway', name: this.gateway.name, namespace: this.gateway.namespace, identity: budget.identity });
  }
}

/** Properties of {@link TierTokenBudget}. */
export interface TierTokenBudgetProps {
  /** Routes or gateway the budget applies to. */
  readonly target: BudgetTarget;
  /**
   * Budgets per tier.
   * @default TierTokenBudget.MAAS_DEFAULT_TIERS (free 100, premium 50000, enterprise 100000 per minute)
   */
  readonly limits?: TierLimit[];
  /**
   * Name of the policy; per-provider policies are named `<name>-<provider>`.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Identity contract for a gateway target (provider targets use their gateway's).
   * @default MaasIdentity.tierBased()
   */
  readonly identity?: MaasIdentity;
}

/** Per app: `<target>#<tier>` -> the budget that limits it. */
const claimed = new AppState(() => new Map<string, string>());

/**
 * Per-tier token budgets: a Kuadrant TokenRateLimitPolicy with one limit per
 * tier, counted per user id on `usage.total_tokens` of OpenAI-format responses,
 * never on `/v1/models`.
 */
export class TierTokenBudget extends Construct {
  /** The tiers MaaS ships with. */
  public static readonly MAAS_DEFAULT_TIERS: readonly TierLimit[] = [
    { tier: 'free', tokens: 100, window: '1m' },
    { tier: 'premium', tokens: 50000, window: '1m' },
    { tier: 'enterprise', tokens: 100000, window: '1m' },
  ];

  /** Name of the policy (prefix for per-provider policies). */
  public readonly name: string;
  /** The budgets per tier. */
  public readonly limits: readonly TierLimit[];
  /** Identity contract for gateway targets. */
  public readonly identity: MaasIdentity;
  private readonly policies: TokenRateLimitPolicy[] = [];

  constructor(scope: Construct, id: string, props: TierTokenBudgetProps) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.name = checkDnsLabel(this, 'budget name', props.name ?? id);
    this.identity = props.identity ?? MaasIdentity.tierBased();
    this.limits = resolveTierLimits(this, props.limits ?? TierTokenBudget.MAAS_DEFAULT_TIERS);
    props.target._attach(this);
  }

  /** Number of policies emitted so far. */
  public get policyCount(): number {
    return this.policies.length;
  }

  /** @internal Emits a TokenRateLimitPolicy with the budget's tier limits on `target`. */
  public _addPolicy(target: PolicyTarget): void {
    const key = `${target.kind}/${target.namespace}/${target.name}`;
    const byTier = claimed.of(this);
    for (const limit of this.limits) {
      const owner = byTier.get(`${key}#${limit.tier}`);
      if (owner) {
        throw inputError(this, 'tier', limit.tier,
          `${owner} already budgets this tier on ${key}; keep one budget per tier and target`);
      }
      byTier.set(`${key}#${limit.tier}`, this.node.path);
    }
    const name = target.suffix ? `${this.name}-${target.suffix}` : this.name;
    const policy = new TokenRateLimitPolicy(this, target.suffix ?? 'Policy', {
      metadata: { name, namespace: target.namespace },
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: target.kind, name: target.name },
        limits: Object.fromEntries(this.limits.map((limit) => [`${limit.tier}-user-tokens`, tierLimit(limit, target.identity)])),
      },
    });
    this.policies.push(policy);
  }
}

/** Validates per-tier token limits (names, amounts, windows, one limit per tier) and fills in the default window. */
export function resolveTierLimits(scope: IConstruct, limits: readonly TierLimit[]): Required<TierLimit>[] {
  const resolved = checkNonEmpty(scope, 'tier limit list', limits).map((limit) => ({
    tier: checkDnsLabel(scope, 'tier name', limit.tier),
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

function tierLimit(limit: TierLimit, identity: MaasIdentity): TokenRateLimitPolicySpecLimits {
  return {
    rates: [{ limit: limit.tokens, window: limit.window as string }],
    when: [{ predicate: `${identity.tierSelector} == ${celQuoted(limit.tier)} && !request.path.endsWith("/v1/models")` }],
    counters: [{ expression: identity.userIdSelector }],
  };
}
