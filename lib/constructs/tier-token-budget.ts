import { Construct } from 'constructs';
import type { ITierTokenBudget, PolicyTarget } from '../contracts/tier-token-budget';
import { TokenRateLimitPolicy } from '../../imports/kuadrant.io';
import { checkDnsLabel } from '../internal/checks';
import { inputError } from '../internal/errors';
import { tierTokenLimits } from '../platform/tier-based/tier-token-limits';
import { MAAS_DEFAULT_TIERS, resolveTierLimits, restateKnownTiers, type TierLimit } from '../contracts/tier-limits';
import { GatewayReference } from '../core/gateway-reference';
import { MaasIdentity } from '../contracts/maas-identity';
import { ExternalProvider } from './external-provider';
import { MaasEgressGateway } from './maas-egress-gateway';
import { declareExistingGateway } from '../validation/existing-objects';
import { registerLibrarySynthesis } from '../output/library-synthesis';
import { AppState } from '../internal/app-state';

export { TierLimit } from '../contracts/tier-limits';

/**
 * Where a budget's counters live. Kuadrant keeps one Limitador counter per
 * route and limit (the limits namespace is the HTTPRoute), so a budget cannot
 * be shared across routes: a user may spend it once on every route it covers.
 */
export enum BudgetScope {
  /** One counter per user and route: on N routes a user can spend N times the budget per window. */
  PER_ROUTE = 'per-route',
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
      gateway._onProvider(add);
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

class ProvidersTarget extends BudgetTarget {
  constructor(private readonly each: (budget: TierTokenBudget, add: (provider: ExternalProvider) => void) => void) {
    super();
  }
  public _attach(budget: TierTokenBudget): void {
    this.each(budget, (provider) => provider.gateway._realization.addProviderBudget(budget, provider));
  }
}

class GatewayTarget extends BudgetTarget {
  constructor(private readonly gateway: GatewayReference) {
    super();
  }
  public _attach(budget: TierTokenBudget): void {
    declareExistingGateway(budget, this.gateway);
    budget._addPolicy({
      kind: 'Gateway', name: this.gateway.name, namespace: this.gateway.namespace, identity: budget.identity,
      knownTiers: resolveTierLimits(budget, MAAS_DEFAULT_TIERS),
    });
  }
}

/** Properties of {@link TierTokenBudget}. */
export interface TierTokenBudgetProps {
  /** Routes or gateway the budget applies to. */
  readonly target: BudgetTarget;
  /**
   * Budgets per tier; each must be a tier the platform knows. A tier the list
   * leaves out keeps the platform's default budget (every route policy limits
   * every known tier, since it replaces the gateway's).
   * @default the platform's tiers (MaaS: free 100, premium 50000, enterprise 100000 per minute)
   */
  readonly limits?: TierLimit[];
  /**
   * Where the counters live; Kuadrant supports only {@link BudgetScope.PER_ROUTE}.
   * @default BudgetScope.PER_ROUTE
   */
  readonly scope?: BudgetScope;
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

/** Per app: policy target (`Kind/namespace/name`) -> the budget that limits it. */
const claimed = new AppState(() => new Map<string, string>());

/**
 * Per-tier token budgets: a Kuadrant TokenRateLimitPolicy with one limit per
 * tier, counted per user id on `usage.total_tokens` of OpenAI-format responses,
 * never on `/v1/models`.
 */
export class TierTokenBudget extends Construct implements ITierTokenBudget {
  /** The tiers MaaS ships with. */
  public static readonly MAAS_DEFAULT_TIERS: TierLimit[] = Object.freeze([...MAAS_DEFAULT_TIERS]) as TierLimit[];

  /** Name of the policy (prefix for per-provider policies). */
  public readonly name: string;
  /** @internal The budgets per tier, as given and checked, with every default resolved. */
  public readonly _resolvedLimits: Required<TierLimit>[];
  /** Where the counters live. */
  public readonly scope: BudgetScope;
  /** Identity contract for gateway targets. */
  public readonly identity: MaasIdentity;
  private readonly policies: TokenRateLimitPolicy[] = [];
  private readonly routes: string[] = [];

  /** The budgets per tier, as given and checked (a policy also restates the platform's other tiers). */
  public get limits(): TierLimit[] {
    return this._resolvedLimits;
  }

  constructor(scope: Construct, id: string, props: TierTokenBudgetProps) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.name = checkDnsLabel(this, 'budget name', props.name ?? id);
    this.identity = props.identity ?? MaasIdentity.tierBased();
    this._resolvedLimits = props.limits === undefined ? [] : resolveTierLimits(this, props.limits);
    this.scope = props.scope ?? BudgetScope.PER_ROUTE;
    if (this.scope !== BudgetScope.PER_ROUTE) {
      throw inputError(this, 'budget scope', this.scope,
        'Kuadrant counts tokens per route (its Limitador namespace is the HTTPRoute), so only BudgetScope.PER_ROUTE can be enforced');
    }
    if (props.target === undefined || typeof (props.target as any)._attach !== 'function') {
      throw inputError(this, 'budget target', props.target,
        'give target: BudgetTarget.providers(...), BudgetTarget.allProviders(gateway) or BudgetTarget.gateway(...)');
    }
    props.target._attach(this);
  }

  /** Number of policies emitted so far. */
  public get policyCount(): number {
    return this.policies.length;
  }

  /** The routes (`namespace/name`) whose policies this budget emitted so far; a user may spend the budget once on each. */
  public get coveredRoutes(): string[] {
    return [...this.routes];
  }

  /**
   * @internal Emits a TokenRateLimitPolicy on `target` and returns its per-tier limits:
   * the budget's own where it names the tier, the platform's default otherwise.
   */
  public _addPolicy(target: PolicyTarget): Required<TierLimit>[] {
    const key = `${target.kind}/${target.namespace}/${target.name}`;
    const byTarget = claimed.of(this);
    const owner = byTarget.get(key);
    if (owner) {
      // Kuadrant applies one route-level token policy per route; a second one would be ignored
      throw inputError(this, 'budget target', key,
        `${owner} already budgets it; Kuadrant enforces one token policy per route, so give each route one budget (list every tier in it)`);
    }
    byTarget.set(key, this.node.path);
    const name = target.suffix ? `${this.name}-${target.suffix}` : this.name;
    const limits = restateKnownTiers(this, this._resolvedLimits, target.knownTiers);
    const policy = new TokenRateLimitPolicy(this, target.suffix ?? 'Policy', {
      metadata: { name, namespace: target.namespace },
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: target.kind, name: target.name },
        limits: tierTokenLimits(limits, target.identity),
      },
    });
    this.policies.push(policy);
    if (target.kind === 'HTTPRoute') this.routes.push(`${target.namespace}/${target.name}`);
    return limits;
  }
}

export { resolveTierLimits } from '../contracts/tier-limits';
