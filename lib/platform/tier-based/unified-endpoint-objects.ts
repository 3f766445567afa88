import { Lazy } from 'cdk8s';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from '../../../imports/gateway.networking.k8s.io';
import {
  AuthPolicy,
  type AuthPolicySpecRulesMetadata,
  type AuthPolicySpecRulesResponseSuccessHeaders,
  RateLimitPolicy,
  TokenRateLimitPolicy,
  type TokenRateLimitPolicySpecLimits,
} from '../../../imports/kuadrant.io';
import {
  EnvoyFilter,
  EnvoyFilterSpecConfigPatchesApplyTo,
  EnvoyFilterSpecConfigPatchesMatchContext,
  EnvoyFilterSpecConfigPatchesPatchOperation,
} from '../../../imports/networking.istio.io';
import { restateKnownTiers, type TierLimit } from '../../contracts/tier-limits';
import { tierTokenLimits } from './tier-token-limits';
import { DEMO_CREDENTIAL_ANNOTATION } from '../../internal/annotations';
import { celQuoted } from '../../internal/cel';
import { GatewayReference } from '../../core/gateway-reference';
import { type ExpandedModelLimit, expandModelLimits } from '../../unified/model-limits';
import { PROVIDER_FACING_REMOVED_HEADERS, withRemovedRequestHeaders } from '../../providers/provider-routes';
import type { CheckedTierBasedSettings } from './tier-based-realization';
import type { IDataPlaneBinding } from '../../contracts/data-plane-binding';
import type { IEgressGateway } from '../../contracts/egress-gateway';
import type { IExternalProvider } from '../../contracts/external-provider';
import type { IUnifiedModelEndpoint, ModelRequestLimit, ModelTokenLimit } from '../../contracts/unified-model-endpoint';

/**
 * Priority of the model router's EnvoyFilter. Istio applies EnvoyFilters in
 * ascending priority; Kuadrant 1.5+ inserts its wasm filter before the router
 * with priority 0, so the Lua, also inserted before the router, must come later
 * to run after Authorino has set the key headers.
 */
export const MODEL_ROUTER_PRIORITY = 10;

/**
 * The tier-based objects of a unified endpoint: the MaaS-side route (Exact
 * paths, to the data plane), its AuthPolicy (every provider's key into an
 * internal header), the Lua EnvoyFilter that picks provider and key from the
 * body, the per-provider routes of the data plane, and the limits.
 */
export function addUnifiedEndpointObjects(endpoint: IUnifiedModelEndpoint, egress: IEgressGateway, plane: IDataPlaneBinding,
  settings: CheckedTierBasedSettings, providerLimits: (provider: IExternalProvider) => readonly Required<TierLimit>[]): void {
  const hop = plane.unifiedRouteRule(endpoint);
  new HttpRoute(endpoint, 'Route', {
    metadata: { name: endpoint.name, namespace: endpoint.namespace },
    spec: {
      parentRefs: [{ name: settings.gateway.name, namespace: settings.gateway.namespace }],
      rules: [{
        ...withRemovedRequestHeaders(hop, PROVIDER_FACING_REMOVED_HEADERS),
        // the endpoint's paths, whatever the plane returned
        matches: endpoint.paths.map((value) => ({ path: { type: HttpRouteSpecRulesMatchesPathType.EXACT, value } })),
        timeouts: { request: endpoint.requestTimeout },
      }],
    },
  });
  egress._onProvider((provider) => plane.addUnifiedRoute(endpoint, provider));
  addAuthPolicy(endpoint, egress, settings);
  addModelRouter(endpoint, settings);
  // an unknown tier in the endpoint's own budgets fails here, at the line that gave it
  const tierBudgets = endpoint.tierBudgets && restateKnownTiers(endpoint, endpoint.tierBudgets as Required<TierLimit>[], settings.tiers);
  const limits = new ModelLimits(endpoint, settings, () => (tierBudgets
    ? [tierTokenLimits(tierBudgets, settings.identity)]
    : egress._providers.map((provider) => tierTokenLimits(providerLimits(provider), settings.identity, {
      when: `requestBodyJSON('/model') in [${provider.models.map(celQuoted).join(', ')}]`,
      nameSuffix: provider.name,
    }))));
  if (endpoint.requestLimits.length > 0) limits.addRequestLimits();
  limits.addTokenLimits();
}

function addAuthPolicy(endpoint: IUnifiedModelEndpoint, egress: IEgressGateway, { identity, knownTiers }: CheckedTierBasedSettings): void {
  // Authorino runs on headers, before the body is read, so it fetches every
  // provider's key; the Lua filter keeps the selected one and drops the rest.
  const providers = () => egress._providers;
  const policy = new AuthPolicy(endpoint, 'AuthPolicy', {
    metadata: { name: `${endpoint.name}-auth`, namespace: endpoint.namespace },
    spec: {
      targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: endpoint.name },
      rules: {
        authentication: identity._authentication(),
        authorization: identity._tierAuthorization(knownTiers),
        metadata: Lazy.any({
          produce: () => {
            const rules: Record<string, AuthPolicySpecRulesMetadata> = { ...identity._metadata() };
            for (const provider of providers()) Object.assign(rules, provider._credentialBinding.metadata);
            return Object.keys(rules).length > 0 ? rules : undefined;
          },
        }) as unknown as Record<string, AuthPolicySpecRulesMetadata>,
        response: {
          success: {
            filters: identity._identityFilter(),
            headers: Lazy.any({
              // A key that could not be fetched leaves its header out (no deny rule,
              // unlike the bridges): the Lua answers 503 for that provider's models
              // only, and every other model keeps working.
              produce: () => Object.fromEntries(providers().map(({ name, endpoint: where, _credentialBinding: binding }) => [
                `${endpoint.keyHeaderPrefix}${name}`,
                {
                  plain: { expression: where.keyHeader._valueExpression(binding) },
                  when: binding.presentPredicate ? [{ predicate: binding.presentPredicate }] : undefined,
                },
              ])),
            }) as unknown as Record<string, AuthPolicySpecRulesResponseSuccessHeaders>,
          },
        },
      },
    },
  });
  egress._onProvider((provider) => {
    if (provider.credential.isDemo) policy.metadata.addAnnotation(DEMO_CREDENTIAL_ANNOTATION, 'true');
  });
}

/**
 * Two Lua filters on the MaaS gateway: the header guard first in the chain
 * (before Kuadrant's wasm, so a client cannot pre-set what Authorino sets),
 * and the model router just before the router, after Kuadrant's wasm.
 */
function addModelRouter(endpoint: IUnifiedModelEndpoint, { gateway: maas }: CheckedTierBasedSettings): void {
  // without models synth fails in the endpoint's own validation; no Lua to render then
  const lua = (render: () => string) => Lazy.any({ produce: () => (endpoint.models.length > 0 ? render() : '') });
  luaFilter(endpoint, 'HeaderGuard', `${endpoint.name}-header-guard`, maas, undefined,
    EnvoyFilterSpecConfigPatchesPatchOperation.INSERT_UNDERSCORE_FIRST, lua(() => endpoint.headerGuardLuaSource()));
  luaFilter(endpoint, 'ModelRouter', `${endpoint.name}-model-router`, maas, MODEL_ROUTER_PRIORITY,
    EnvoyFilterSpecConfigPatchesPatchOperation.INSERT_UNDERSCORE_BEFORE, lua(() => endpoint.luaSource()));
}

function luaFilter(endpoint: IUnifiedModelEndpoint, id: string, name: string, maas: GatewayReference, priority: number | undefined,
  operation: EnvoyFilterSpecConfigPatchesPatchOperation, code: unknown): void {
  const hcm = 'envoy.filters.network.http_connection_manager';
  new EnvoyFilter(endpoint, id, {
    metadata: { name, namespace: maas.namespace },
    spec: {
      priority,
      workloadSelector: { labels: { ...maas.podLabels } },
      configPatches: [{
        applyTo: EnvoyFilterSpecConfigPatchesApplyTo.HTTP_UNDERSCORE_FILTER,
        match: {
          context: EnvoyFilterSpecConfigPatchesMatchContext.GATEWAY,
          listener: {
            filterChain: {
              filter: operation === EnvoyFilterSpecConfigPatchesPatchOperation.INSERT_UNDERSCORE_FIRST
                ? { name: hcm }
                : { name: hcm, subFilter: { name: 'envoy.filters.http.router' } },
            },
          },
        },
        patch: {
          operation,
          value: {
            name: 'envoy.filters.http.lua',
            typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua', inline_code: code },
          },
        },
      }],
    },
  });
}

/** The endpoint's RateLimitPolicy and TokenRateLimitPolicy, counted per user. */
class ModelLimits {
  constructor(private readonly endpoint: IUnifiedModelEndpoint, private readonly settings: CheckedTierBasedSettings,
    private readonly tierLimits: () => Array<Record<string, TokenRateLimitPolicySpecLimits>>) {}

  public addRequestLimits(): void {
    new RateLimitPolicy(this.endpoint, 'RequestLimits', {
      metadata: { name: `${this.endpoint.name}-requests`, namespace: this.endpoint.namespace },
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: this.endpoint.name },
        limits: Lazy.any({
          produce: () => Object.fromEntries(
            expandModelLimits(this.endpoint.models, this.endpoint.requestLimits, 'requests', (l: ModelRequestLimit) => l.requests)
              .map((l) => [l.name, this.perUser(l.amount, l.window, this.modelPredicate(l))])),
        }),
      },
    });
  }

  public addTokenLimits(): void {
    new TokenRateLimitPolicy(this.endpoint, 'TokenLimits', {
      metadata: { name: `${this.endpoint.name}-tokens`, namespace: this.endpoint.namespace },
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: this.endpoint.name },
        limits: Lazy.any({
          produce: () => Object.fromEntries([
            ...this.tierLimits().flatMap((limits) => Object.entries(limits)),
            ...expandModelLimits(this.endpoint.models, this.endpoint.modelTokenLimits, 'tokens', (l: ModelTokenLimit) => l.tokens)
              .map((l) => [l.name, this.perUser(l.amount, l.window, this.modelPredicate(l))]),
          ]),
        }),
      },
    });
  }

  /** A Kuadrant limit of `amount` per `window`, counted per user, applying when `predicate` holds. */
  private perUser(amount: number, window: string, predicate: string) {
    return {
      rates: [{ limit: amount, window }],
      when: [{ predicate }],
      counters: [{ expression: this.settings.identity.userIdSelector }],
    };
  }

  private modelPredicate(limit: ExpandedModelLimit): string {
    const model = `requestBodyJSON('/model') == ${celQuoted(limit.model)}`;
    return limit.tier === undefined ? model : `${this.settings.identity.tierSelector} == ${celQuoted(limit.tier)} && ${model}`;
  }
}
