import {
  HttpRouteSpecRules,
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
 * The rewrite that takes a provider's path space under `prefix` to its API: a
 * provider whose OpenAI API sits at `/v1/` gets the whole space passed through
 * (`<prefix>` -> `/`); any other gets `<prefix>v1/` -> its API base path.
 */
export function providerApiRewrite(prefix: string, apiBasePath: string, hostname: string): HttpRouteSpecRules {
  return apiBasePath === '/v1/'
    ? prefixRewriteRule(prefix, '/', hostname)
    : prefixRewriteRule(`${prefix}v1/`, apiBasePath, hostname);
}
