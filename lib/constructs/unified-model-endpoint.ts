import { Construct } from 'constructs';
import { checkDnsLabel, checkDuration, checkNamespace, checkNonEmpty, checkPositiveInteger, checkUnique } from '../internal/checks';
import { inputError } from '../internal/errors';
import { registerLibrarySynthesis } from '../output/library-synthesis';
import { type ModelRouterLuaOptions, renderHeaderGuardLua, renderModelRouterLua } from '../unified/model-router-lua';
import { expandModelLimits } from '../unified/model-limits';
import type { IExternalProvider } from '../contracts/external-provider';
import type { MaasEgressGateway } from './maas-egress-gateway';
import { resolveTierLimits, type TierLimit } from '../contracts/tier-limits';
import { AppState } from '../internal/app-state';
import type { IUnifiedModelEndpoint, ModelRequestLimit, ModelTokenLimit } from '../contracts/unified-model-endpoint';


/** Options of a unified endpoint, as given to {@link MaasEgressGateway.addUnifiedEndpoint}. */
export interface UnifiedModelEndpointOptions {
  /**
   * Name of the MaaS-side HTTPRoute and prefix of the endpoint's other objects.
   * @default 'unified-models'
   */
  readonly name?: string;
  /**
   * Exact request paths served; the JSON body's `model` picks the provider.
   * @default ['/v1/chat/completions', '/v1/completions']
   */
  readonly paths?: string[];
  /**
   * Namespace of the route and its policies.
   * @default the egress gateway's namespace
   */
  readonly namespace?: string;
  /**
   * Per-tier token budgets over all models of the endpoint; a tier left out
   * keeps the platform's default. Each must be a tier the platform knows.
   * @default each provider's TierTokenBudget (or the platform's tiers) on that provider's models
   */
  readonly tierBudgets?: TierLimit[];
  /**
   * Request limits per user and model (a RateLimitPolicy).
   * @default none
   */
  readonly requestLimits?: ModelRequestLimit[];
  /**
   * Token budgets per user and model, on top of the tier budgets.
   * @default none
   */
  readonly modelTokenLimits?: ModelTokenLimit[];
  /**
   * Request timeout on the MaaS-side and egress routes.
   * @default '300s'
   */
  readonly requestTimeout?: string;
}

/** Properties of {@link UnifiedModelEndpoint}. */
export interface UnifiedModelEndpointProps extends UnifiedModelEndpointOptions {
  /** The egress gateway whose providers the endpoint routes to. */
  readonly gateway: MaasEgressGateway;
}

/**
 * One OpenAI-style endpoint on the MaaS gateway for every external model: the
 * `model` field of the JSON body picks the provider. Emits the MaaS-side
 * HTTPRoute and AuthPolicy (which fetches every provider's key into internal
 * headers), an Istio EnvoyFilter whose Lua selects the provider and its key
 * from the body, a header-matched route per provider on the egress gateway,
 * and the per-model request and token limits.
 */
export class UnifiedModelEndpoint extends Construct implements IUnifiedModelEndpoint {
  /** Header the Lua filter sets to the selected provider; the egress routes match on it. */
  public static readonly PROVIDER_HEADER = 'x-maas-egress-provider';
  /** Prefix of the internal headers that carry each provider's key from Authorino to the Lua filter. */
  public static readonly KEY_HEADER_PREFIX = 'x-maas-egress-key-';

  /** Name of the MaaS-side HTTPRoute. */
  public readonly name: string;
  /** Namespace of the route and its policies. */
  public readonly namespace: string;
  /** Paths served. */
  public readonly paths: string[];
  /** The egress gateway. */
  public readonly gateway: MaasEgressGateway;
  /** Request timeout on the routes. */
  public readonly requestTimeout: string;
  /**
   * Per-tier token budgets over all models of the endpoint, as given.
   * @default undefined: each provider's budget holds on its models
   */
  public readonly tierBudgets?: TierLimit[];
  /** Request limits per user and model. */
  public readonly requestLimits: ModelRequestLimit[];
  /** Token budgets per user and model. */
  public readonly modelTokenLimits: ModelTokenLimit[];

  constructor(scope: Construct, id: string, props: UnifiedModelEndpointProps) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.gateway = props.gateway;
    this.name = checkDnsLabel(this, 'endpoint name', props.name ?? 'unified-models');
    this.namespace = checkNamespace(this, 'endpoint namespace', props.namespace ?? this.gateway.namespace);
    this.paths = checkNonEmpty(this, 'path list', props.paths ?? ['/v1/chat/completions', '/v1/completions'])
      .map((p) => checkUnifiedPath(this, p));
    checkUnique(this, 'path', [...this.paths]);
    this.requestTimeout = checkDuration(this, 'request timeout', props.requestTimeout ?? '300s');
    this.tierBudgets = props.tierBudgets === undefined ? undefined : resolveTierLimits(this, props.tierBudgets);
    this.requestLimits = (props.requestLimits ?? []).map((l) => checkModelLimit(this, 'request limit', l, l.requests));
    this.modelTokenLimits = (props.modelTokenLimits ?? []).map((l) => checkModelLimit(this, 'model token limit', l, l.tokens));
    this.gateway._registerUnifiedEndpoint(this);
    claimMaasGateway(this);
    this.gateway._realization.addUnifiedEndpoint(this);
    this.node.addValidation({ validate: () => this.modelReferenceProblems() });
  }

  /** Header the model router sets to the selected provider. */
  public get providerHeader(): string {
    return UnifiedModelEndpoint.PROVIDER_HEADER;
  }

  /** Prefix of the internal headers that carry each provider's key to the model router. */
  public get keyHeaderPrefix(): string {
    return UnifiedModelEndpoint.KEY_HEADER_PREFIX;
  }

  /** Every model routable through the endpoint, in registration order. */
  public get models(): string[] {
    return this.gateway.providers.flatMap((p) => [...p.models]);
  }

  /** Name of the egress route that serves `provider` for this endpoint. */
  public egressRouteName(provider: IExternalProvider): string {
    return `${provider.name}-unified`;
  }

  /** The Lua source of the model router, generated from the registered providers. */
  public luaSource(): string {
    return renderModelRouterLua(this.luaOptions());
  }

  /** The Lua source of the header guard that removes client-sent internal headers before Kuadrant runs. */
  public headerGuardLuaSource(): string {
    return renderHeaderGuardLua(this.luaOptions());
  }

  private luaOptions(): ModelRouterLuaOptions {
    return {
      paths: this.paths,
      routes: this.gateway.providers.flatMap((provider) => provider.models.map((model) => ({
        model,
        provider: provider.name,
        keyHeader: provider.endpoint.keyHeader.name,
      }))),
      providerHeader: UnifiedModelEndpoint.PROVIDER_HEADER,
      internalKeyHeaderPrefix: UnifiedModelEndpoint.KEY_HEADER_PREFIX,
    };
  }

  private modelReferenceProblems(): string[] {
    const known = new Set(this.models);
    const problems: string[] = [];
    if (known.size === 0) problems.push(`no models are routable: add providers to ${this.gateway.node.path}`);
    for (const [what, limits, unit] of [['request limit', this.requestLimits, 'requests'], ['model token limit', this.modelTokenLimits, 'tokens']] as const) {
      for (const model of limits.flatMap((l) => l.models ?? [])) {
        if (!known.has(model)) problems.push(`${what} names model ${JSON.stringify(model)}, which no provider of ${this.gateway.node.path} serves (models: ${[...known].join(', ')})`);
      }
      const names = expandModelLimits(this.models, limits as readonly (ModelRequestLimit | ModelTokenLimit)[], unit, () => 0).map((l) => l.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup) problems.push(`two ${what}s apply to the same model and tier (${dup}); give each model and tier one ${what}`);
    }
    return problems;
  }
}

const maasGatewayClaims = new AppState(() => new Map<string, string>());

/**
 * One model router per MaaS gateway: each strips the internal headers the
 * other's AuthPolicy sets, so a second endpoint on the same MaaS gateway
 * (through another egress gateway) would break both.
 */
function claimMaasGateway(endpoint: UnifiedModelEndpoint): void {
  const claims = maasGatewayClaims.of(endpoint);
  const maas = endpoint.gateway.platform.gateway;
  const key = `${maas.namespace}/${maas.name}`;
  const owner = claims.get(key);
  if (owner) {
    throw inputError(endpoint, 'unified endpoint', endpoint.name,
      `${owner} already routes by model on MaaS gateway ${key}, and two model routers on one gateway strip each other's key headers; `
      + 'keep one unified endpoint per MaaS gateway and put the providers that should share it on its egress gateway');
  }
  claims.set(key, endpoint.node.path);
}

/** Exact paths under `/v1/`: the egress routes serve a provider's OpenAI API there, rewritten to its base path. */
function checkUnifiedPath(scope: Construct, path: string): string {
  if (typeof path !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) {
    throw inputError(scope, 'path', path, 'give an exact path such as "/v1/chat/completions" (no trailing "/", query or wildcard)');
  }
  if (!path.startsWith('/v1/')) {
    throw inputError(scope, 'path', path, 'give a path of the OpenAI API under "/v1/" (e.g. "/v1/embeddings"): providers are reached by rewriting "/v1/" to their API base path');
  }
  return path;
}

function checkModelLimit<T extends ModelRequestLimit | ModelTokenLimit>(scope: Construct, what: string, limit: T, amount: number): T {
  checkPositiveInteger(scope, `${what} amount`, amount);
  checkDuration(scope, `${what} window`, limit.window ?? '1m');
  if (limit.tier !== undefined) checkDnsLabel(scope, `${what} tier`, limit.tier);
  if (limit.models !== undefined) checkNonEmpty(scope, `${what} model list`, limit.models);
  return limit;
}
