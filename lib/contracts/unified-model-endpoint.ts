import type { IConstruct } from 'constructs';
import type { TierLimit } from './tier-limits';
import type { IExternalProvider } from './external-provider';

/** A request limit per user and model on the unified endpoint. */
export interface ModelRequestLimit {
  /**
   * Models the limit applies to, each counted on its own.
   * @default every model routable through the endpoint
   */
  readonly models?: string[];
  /**
   * Tier the limit applies to.
   * @default every tier
   */
  readonly tier?: string;
  /** Requests a user may send to one model per window. */
  readonly requests: number;
  /**
   * Window (Kuadrant duration).
   * @default '1m'
   */
  readonly window?: string;
}

/** A token budget per user and model on the unified endpoint. */
export interface ModelTokenLimit {
  /**
   * Models the budget applies to, each counted on its own.
   * @default every model routable through the endpoint
   */
  readonly models?: string[];
  /**
   * Tier the budget applies to.
   * @default every tier
   */
  readonly tier?: string;
  /** Tokens (`usage.total_tokens`) a user may spend on one model per window. */
  readonly tokens: number;
  /**
   * Window (Kuadrant duration).
   * @default '1m'
   */
  readonly window?: string;
}

/** A unified model endpoint as data planes and platforms see it (`UnifiedModelEndpoint`). */
export interface IUnifiedModelEndpoint extends IConstruct {
  /** Name of the MaaS-side HTTPRoute. */
  readonly name: string;
  /** Namespace of the route and its policies. */
  readonly namespace: string;
  /** Paths served. */
  readonly paths: string[];
  /** Request timeout on the routes. */
  readonly requestTimeout: string;
  /**
   * Per-tier token budgets over all models of the endpoint.
   * @default each provider's budget holds on its models
   */
  readonly tierBudgets?: TierLimit[];
  /** Request limits per user and model. */
  readonly requestLimits: ModelRequestLimit[];
  /** Token budgets per user and model. */
  readonly modelTokenLimits: ModelTokenLimit[];
  /** Header the model router sets to the selected provider; the egress routes match on it. */
  readonly providerHeader: string;
  /** Prefix of the internal headers that carry each provider's key to the model router. */
  readonly keyHeaderPrefix: string;
  /** Every model routable through the endpoint, in registration order. */
  readonly models: string[];
  /** Name of the egress route that serves `provider` for this endpoint. */
  egressRouteName(provider: IExternalProvider): string;
  /** The Lua source of the model router. */
  luaSource(): string;
  /** The Lua source of the header guard that removes client-sent internal headers. */
  headerGuardLuaSource(): string;
}
