import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HttpRoute,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesFiltersUrlRewritePathType,
  HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway.networking.k8s.io';
import {
  AuthPolicy,
  AuthPolicySpecRulesMetadata,
  AuthPolicySpecRulesResponseSuccessHeaders,
  RateLimitPolicy,
  TokenRateLimitPolicy,
} from '../../imports/kuadrant.io';
import {
  EnvoyFilter,
  EnvoyFilterSpecConfigPatchesApplyTo,
  EnvoyFilterSpecConfigPatchesMatchContext,
  EnvoyFilterSpecConfigPatchesPatchOperation,
} from '../../imports/networking.istio.io';
import { DEMO_CREDENTIAL_ANNOTATION } from '../credentials/provider-credential';
import { celQuoted } from '../internal/cel';
import { checkDnsLabel, checkDuration, checkNamespace, checkNonEmpty, checkPositiveInteger, checkUnique } from '../internal/checks';
import { inputError } from '../internal/errors';
import { renderModelRouterLua } from '../unified/model-router-lua';
import { registerLibrarySynthesis } from '../internal/library-synthesis';
import type { ExternalProvider } from './external-provider';
import type { MaasEgressGateway } from './maas-egress-gateway';
import { resolveTierLimits, TierLimit, TierTokenBudget } from './tier-token-budget';

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
   * Per-tier token budgets over all models of the endpoint. A route-level token
   * policy replaces the gateway's, so the tier budgets are restated here.
   * @default TierTokenBudget.MAAS_DEFAULT_TIERS
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

interface ExpandedLimit {
  readonly name: string;
  readonly model: string;
  readonly tier?: string;
  readonly amount: number;
  readonly window: string;
}

/**
 * One OpenAI-style endpoint on the MaaS gateway for every external model: the
 * `model` field of the JSON body picks the provider. Emits the MaaS-side
 * HTTPRoute and AuthPolicy (which fetches every provider's key into internal
 * headers), an Istio EnvoyFilter whose Lua selects the provider and its key
 * from the body, a header-matched route per provider on the egress gateway,
 * and the per-model request and token limits.
 */
export class UnifiedModelEndpoint extends Construct {
  /** Header the Lua filter sets to the selected provider; the egress routes match on it. */
  public static readonly PROVIDER_HEADER = 'x-maas-egress-provider';
  /** Prefix of the internal headers that carry each provider's key from Authorino to the Lua filter. */
  public static readonly KEY_HEADER_PREFIX = 'x-maas-egress-key-';

  /** Name of the MaaS-side HTTPRoute. */
  public readonly name: string;
  /** Namespace of the route and its policies. */
  public readonly namespace: string;
  /** Paths served. */
  public readonly paths: readonly string[];
  /** The egress gateway. */
  public readonly gateway: MaasEgressGateway;
  /** Request timeout on the routes. */
  public readonly requestTimeout: string;
  private readonly tierBudgets: readonly Required<TierLimit>[];
  private readonly requestLimits: readonly ModelRequestLimit[];
  private readonly modelTokenLimits: readonly ModelTokenLimit[];

  constructor(scope: Construct, id: string, props: UnifiedModelEndpointProps) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.gateway = props.gateway;
    this.name = checkDnsLabel(this, 'endpoint name', props.name ?? 'unified-models');
    this.namespace = checkNamespace(this, 'endpoint namespace', props.namespace ?? this.gateway.namespace);
    this.paths = checkNonEmpty(this, 'path list', props.paths ?? ['/v1/chat/completions', '/v1/completions'])
      .map((p) => checkExactPath(this, p));
    checkUnique(this, 'path', [...this.paths]);
    this.requestTimeout = checkDuration(this, 'request timeout', props.requestTimeout ?? '300s');
    this.tierBudgets = resolveTierLimits(this, props.tierBudgets ?? TierTokenBudget.MAAS_DEFAULT_TIERS);
    this.requestLimits = (props.requestLimits ?? []).map((l) => checkModelLimit(this, 'request limit', l, l.requests));
    this.modelTokenLimits = (props.modelTokenLimits ?? []).map((l) => checkModelLimit(this, 'model token limit', l, l.tokens));
    this.gateway.registerUnifiedEndpoint(this);

    this.gateway.onProvider((provider) => this.createEgressRoute(provider));
    this.createRoute();
    this.createAuthPolicy();
    this.createModelRouter();
    if (this.requestLimits.length > 0) this.createRequestLimits();
    this.createTokenLimits();
    this.node.addValidation({ validate: () => this.modelReferenceProblems() });
  }

  /** Every model routable through the endpoint, in registration order. */
  public get models(): string[] {
    return this.gateway.providers.flatMap((p) => [...p.models]);
  }

  /** Name of the egress route that serves `provider` for this endpoint. */
  public egressRouteName(provider: ExternalProvider): string {
    return `${provider.name}-unified`;
  }

  private createRoute(): void {
    const maas = this.gateway.platform.gateway;
    new HttpRoute(this, 'Route', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        parentRefs: [{ name: maas.name, namespace: maas.namespace }],
        rules: [{
          matches: this.paths.map((value) => ({ path: { type: HttpRouteSpecRulesMatchesPathType.EXACT, value } })),
          timeouts: { request: this.requestTimeout },
          backendRefs: [{
            name: this.gateway.envoyServiceName,
            namespace: this.namespace === this.gateway.namespace ? undefined : this.gateway.namespace,
            port: this.gateway.port,
          }],
        }],
      },
    });
  }

  private createEgressRoute(provider: ExternalProvider): void {
    if (provider.name === 'v1') {
      throw inputError(provider, 'provider name', provider.name,
        'with a unified endpoint, "v1" would shadow the unified paths on the egress gateway; rename the provider');
    }
    const base = provider.endpoint.apiBasePath;
    new HttpRoute(this, `Egress-${provider.name}`, {
      metadata: { name: this.egressRouteName(provider), namespace: this.gateway.namespace },
      spec: {
        parentRefs: [{ name: this.gateway.gatewayName, namespace: this.gateway.namespace }],
        rules: [{
          matches: [{
            path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/v1/' },
            headers: [{ type: HttpRouteSpecRulesMatchesHeadersType.EXACT, name: UnifiedModelEndpoint.PROVIDER_HEADER, value: provider.name }],
          }],
          filters: [{
            type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
            urlRewrite: {
              hostname: provider.endpoint.hostname,
              path: base === '/v1/' ? undefined : {
                type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH,
                replacePrefixMatch: base,
              },
            },
          }],
          timeouts: { request: this.requestTimeout },
          backendRefs: [{
            group: 'ainetworking.prototype.x-k8s.io',
            kind: 'Backend',
            name: provider.backendName,
            port: provider.endpoint.port,
          }],
        }],
      },
    });
  }

  private createAuthPolicy(): void {
    const identity = this.gateway.platform.identity;
    // Authorino runs on headers, before the body is read, so it fetches every
    // provider's key; the Lua filter keeps the selected one and drops the rest.
    const providers = () => this.gateway.providers;
    const policy = new AuthPolicy(this, 'AuthPolicy', {
      metadata: { name: `${this.name}-auth`, namespace: this.namespace },
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: this.name },
        rules: {
          authentication: identity.authentication(),
          metadata: Lazy.any({
            produce: () => {
              const rules: Record<string, AuthPolicySpecRulesMetadata> = { ...identity.metadata() };
              for (const provider of providers()) Object.assign(rules, provider.credentialBinding.metadata);
              return Object.keys(rules).length > 0 ? rules : undefined;
            },
          }) as unknown as Record<string, AuthPolicySpecRulesMetadata>,
          response: {
            success: {
              filters: identity.identityFilter(),
              headers: Lazy.any({
                // A key that could not be fetched leaves its header out (no deny rule,
                // unlike the bridges): the Lua answers 503 for that provider's models
                // only, and every other model keeps working.
                produce: () => Object.fromEntries(providers().map(({ name, endpoint, credentialBinding: binding }) => [
                  `${UnifiedModelEndpoint.KEY_HEADER_PREFIX}${name}`,
                  {
                    plain: { expression: endpoint.keyHeader.valueExpression(binding) },
                    when: binding.presentPredicate ? [{ predicate: binding.presentPredicate }] : undefined,
                  },
                ])),
              }) as unknown as Record<string, AuthPolicySpecRulesResponseSuccessHeaders>,
            },
          },
        },
      },
    });
    this.gateway.onProvider((provider) => {
      if (provider.credential.isDemo) policy.metadata.addAnnotation(DEMO_CREDENTIAL_ANNOTATION, 'true');
    });
  }

  private createModelRouter(): void {
    const maas = this.gateway.platform.gateway;
    new EnvoyFilter(this, 'ModelRouter', {
      metadata: { name: `${this.name}-model-router`, namespace: maas.namespace },
      spec: {
        workloadSelector: { labels: { ...maas.podLabels } },
        configPatches: [{
          applyTo: EnvoyFilterSpecConfigPatchesApplyTo.HTTP_UNDERSCORE_FILTER,
          match: {
            context: EnvoyFilterSpecConfigPatchesMatchContext.GATEWAY,
            listener: {
              filterChain: {
                filter: {
                  name: 'envoy.filters.network.http_connection_manager',
                  subFilter: { name: 'envoy.filters.http.router' },
                },
              },
            },
          },
          patch: {
            operation: EnvoyFilterSpecConfigPatchesPatchOperation.INSERT_UNDERSCORE_BEFORE,
            value: {
              name: 'envoy.filters.http.lua',
              typed_config: {
                '@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua',
                // without models synth fails in modelReferenceProblems; no Lua to render then
                inline_code: Lazy.any({ produce: () => (this.models.length > 0 ? this.luaSource() : '') }),
              },
            },
          },
        }],
      },
    });
  }

  /** The Lua source of the model router, generated from the registered providers. */
  public luaSource(): string {
    return renderModelRouterLua({
      paths: this.paths,
      routes: this.gateway.providers.flatMap((provider) => provider.models.map((model) => ({
        model,
        provider: provider.name,
        keyHeader: provider.endpoint.keyHeader.name,
      }))),
      providerHeader: UnifiedModelEndpoint.PROVIDER_HEADER,
      internalKeyHeaderPrefix: UnifiedModelEndpoint.KEY_HEADER_PREFIX,
    });
  }

  private createRequestLimits(): void {
    new RateLimitPolicy(this, 'RequestLimits', {
      metadata: { name: `${this.name}-requests`, namespace: this.namespace },
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: this.name },
        limits: Lazy.any({
          produce: () => Object.fromEntries(this.expand(this.requestLimits, 'requests', (l) => (l as ModelRequestLimit).requests)
            .map((l) => [l.name, this.perUserLimit(l.amount, l.window, this.modelPredicate(l))])),
        }),
      },
    });
  }

  private createTokenLimits(): void {
    const tierSelector = this.gateway.platform.identity.tierSelector;
    new TokenRateLimitPolicy(this, 'TokenLimits', {
      metadata: { name: `${this.name}-tokens`, namespace: this.namespace },
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: this.name },
        limits: Lazy.any({
          produce: () => Object.fromEntries([
            ...this.tierBudgets.map((b) => [`${b.tier}-user-tokens`,
              this.perUserLimit(b.tokens, b.window, `${tierSelector} == ${celQuoted(b.tier)}`)]),
            ...this.expand(this.modelTokenLimits, 'tokens', (l) => (l as ModelTokenLimit).tokens)
              .map((l) => [l.name, this.perUserLimit(l.amount, l.window, this.modelPredicate(l))]),
          ]),
        }),
      },
    });
  }

  /** A Kuadrant limit of `amount` per `window`, counted per user, applying when `predicate` holds. */
  private perUserLimit(amount: number, window: string, predicate: string) {
    return {
      rates: [{ limit: amount, window }],
      when: [{ predicate }],
      counters: [{ expression: this.gateway.platform.identity.userIdSelector }],
    };
  }

  private modelPredicate(limit: ExpandedLimit): string {
    const model = `requestBodyJSON('/model') == ${celQuoted(limit.model)}`;
    return limit.tier === undefined ? model : `${this.gateway.platform.identity.tierSelector} == ${celQuoted(limit.tier)} && ${model}`;
  }

  /** One Kuadrant limit per (limit, model); names are stable slugs of tier and model. */
  private expand(limits: readonly (ModelRequestLimit | ModelTokenLimit)[], unit: string,
    amount: (limit: ModelRequestLimit | ModelTokenLimit) => number): ExpandedLimit[] {
    const known = new Set(this.models);
    const slugs = modelSlugs(this.models);
    const out: ExpandedLimit[] = [];
    for (const limit of limits) {
      for (const model of limit.models ?? this.models) {
        if (!known.has(model)) continue; // reported by modelReferenceProblems
        const name = `${limit.tier ? `${limit.tier}-` : ''}${slugs.get(model)}-${unit}`;
        out.push({ name, model, tier: limit.tier, amount: amount(limit), window: limit.window ?? '1m' });
      }
    }
    return out;
  }

  private modelReferenceProblems(): string[] {
    const known = new Set(this.models);
    const problems: string[] = [];
    if (known.size === 0) problems.push(`no models are routable: add providers to ${this.gateway.node.path}`);
    for (const [what, limits, unit] of [['request limit', this.requestLimits, 'requests'], ['model token limit', this.modelTokenLimits, 'tokens']] as const) {
      for (const model of limits.flatMap((l) => l.models ?? [])) {
        if (!known.has(model)) problems.push(`${what} names model ${JSON.stringify(model)}, which no provider of ${this.gateway.node.path} serves (models: ${[...known].join(', ')})`);
      }
      const names = this.expand(limits, unit, () => 0).map((l) => l.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup) problems.push(`two ${what}s apply to the same model and tier (${dup}); give each model and tier one ${what}`);
    }
    return problems;
  }
}

function checkExactPath(scope: Construct, path: string): string {
  if (typeof path !== 'string' || !/^(\/[A-Za-z0-9._~-]+)+$/.test(path)) {
    throw inputError(scope, 'path', path, 'give an exact path such as "/v1/chat/completions" (no trailing "/", query or wildcard)');
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

/** Lowercase DNS-style slugs of model ids, made unique in registration order. */
function modelSlugs(models: readonly string[]): Map<string, string> {
  const slugs = new Map<string, string>();
  const used = new Set<string>();
  for (const model of models) {
    const base = model.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    slugs.set(model, slug);
  }
  return slugs;
}
