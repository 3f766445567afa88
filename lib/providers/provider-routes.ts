import {
  type HttpRouteSpecRules,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesFiltersUrlRewritePathType,
  HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway.networking.k8s.io';

/** A PathPrefix match whose prefix is rewritten to `replacement`, and Host to `hostname` when given. */
export function prefixRewriteRule(prefix: string, replacement: string, hostname?: string): HttpRouteSpecRules {
  return {
    matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: prefix } }],
    filters: [{
      type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
      urlRewrite: {
        hostname,
        path: { type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH, replacePrefixMatch: replacement },
      },
    }],
  };
}

/**
 * Request headers removed on every route that sends to a provider: Kuadrant's
 * token counter reads the raw response bytes, so a compressed response would
 * never be counted (wasm-shim has no decompression).
 */
export const PROVIDER_FACING_REMOVED_HEADERS = ['Accept-Encoding'];

/**
 * `rule` with `names` also removed from the request, in its one
 * RequestHeaderModifier (Gateway API allows one per rule).
 */
export function withRemovedRequestHeaders(rule: HttpRouteSpecRules, names: readonly string[]): HttpRouteSpecRules {
  if (names.length === 0) return rule;
  const filters = [...rule.filters ?? []];
  const index = filters.findIndex((f) => f.type === HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER);
  const modifier = index >= 0 ? filters[index].requestHeaderModifier ?? {} : {};
  const remove = [...modifier.remove ?? []];
  for (const name of names) if (!remove.some((r) => r.toLowerCase() === name.toLowerCase())) remove.push(name);
  const filter = { type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER, requestHeaderModifier: { ...modifier, remove } };
  if (index >= 0) filters[index] = filter;
  else filters.push(filter);
  return { ...rule, filters };
}

/**
 * The rewrite that takes a provider's path space under `prefix` to its API: a
 * provider whose OpenAI API sits at `/v1/` gets the whole space passed through
 * (`<prefix>` -> `/`); any other gets `<prefix>v1/` -> its API base path. The
 * rule faces the provider, so it drops what would keep tokens from being counted.
 */
export function providerApiRewrite(prefix: string, apiBasePath: string, hostname: string): HttpRouteSpecRules {
  const rule = apiBasePath === '/v1/'
    ? prefixRewriteRule(prefix, '/', hostname)
    : prefixRewriteRule(`${prefix}v1/`, apiBasePath, hostname);
  return withRemovedRequestHeaders(rule, PROVIDER_FACING_REMOVED_HEADERS);
}
