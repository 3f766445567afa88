import type { ApiObjectMetadata } from 'cdk8s';
import { HttpRoute } from '../../../imports/gateway.networking.k8s.io';
import { AuthPolicy } from '../../../imports/kuadrant.io';
import { DEMO_CREDENTIAL_ANNOTATION } from '../../internal/annotations';
import { PLAINTEXT_KEY_ANNOTATION } from '../../internal/annotations';
import { PROVIDER_FACING_REMOVED_HEADERS, withRemovedRequestHeaders } from '../../providers/provider-routes';
import { inputError } from '../../internal/errors';
import type { RouteRule } from '../../contracts/data-plane-binding';
import type { CheckedTierBasedSettings } from './tier-based-realization';
import type { IDataPlaneBinding } from '../../contracts/data-plane-binding';
import type { IExternalProvider } from '../../contracts/external-provider';

/**
 * The provider's route on the MaaS gateway (`/external/<p>/`, sent where the
 * data plane says) and its AuthPolicy: token review, admission of the known
 * tiers only, the identity the limits read, and the provider's key injected
 * as a request header.
 */
export function addProviderBridge(provider: IExternalProvider, plane: IDataPlaneBinding, settings: CheckedTierBasedSettings): void {
  const { identity } = settings;
  const maas = settings.gateway;
  // Kuadrant counts tokens here, on the MaaS gateway, from the raw answer bytes: whatever
  // the plane does further on, the request leaves this route without Accept-Encoding
  const rule = withRemovedRequestHeaders(checkBridgeMatches(provider, plane.maasRouteRule(provider)),
    [...clientTokenRemoval(provider), ...PROVIDER_FACING_REMOVED_HEADERS]);
  new HttpRoute(provider, 'BridgeRoute', {
    metadata: {
      name: provider.bridgeRouteName,
      namespace: provider.bridgeNamespace,
      annotations: provider.allowsKeyOverPlainHttp ? { [PLAINTEXT_KEY_ANNOTATION]: 'true' } : undefined,
    },
    spec: {
      parentRefs: [{ name: maas.name, namespace: maas.namespace }],
      rules: [{ ...rule, timeouts: { request: provider.requestTimeout } }],
    },
  });

  const binding = provider._credentialBinding;
  const header = provider.endpoint.keyHeader;
  const metadata: ApiObjectMetadata = { name: `${provider.bridgeRouteName}-auth`, namespace: provider.bridgeNamespace };
  const annotations = provider.credential.isDemo ? { [DEMO_CREDENTIAL_ANNOTATION]: 'true' } : undefined;
  const metadataRules = { ...identity._metadata(), ...binding.metadata };
  new AuthPolicy(provider, 'BridgeAuthPolicy', {
    metadata: { ...metadata, annotations },
    spec: {
      targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: provider.bridgeRouteName },
      rules: {
        authentication: identity._authentication(),
        metadata: Object.keys(metadataRules).length > 0 ? metadataRules : undefined,
        authorization: { ...identity._tierAuthorization(settings.knownTiers), ...binding.authorization },
        response: {
          success: {
            filters: identity._identityFilter(),
            // lower case: wasm-shim replaces a request header only on an exact-case name match,
            // so "Authorization" would be added beside the client's "authorization" (its MaaS token)
            headers: { [header.name.toLowerCase()]: { plain: { expression: header._valueExpression(binding) } } },
          },
        },
      },
    },
  });
}

/**
 * When the key goes into another header than `Authorization`, the client's
 * MaaS token would still be forwarded to the provider; the route drops it
 * after Authorino has checked it (route filters apply at the router).
 */
function clientTokenRemoval(provider: IExternalProvider): string[] {
  return provider.endpoint.keyHeader.name.toLowerCase() === 'authorization' ? [] : ['Authorization'];
}

/**
 * The provider's route must serve only its own path space on the MaaS gateway:
 * a rule without matches, or with one outside `/external/<p>/`, would take
 * other requests to this provider (a plane of a team's own may return one).
 */
function checkBridgeMatches(provider: IExternalProvider, rule: RouteRule): RouteRule {
  const matches = rule.matches ?? [];
  const outside = matches.find((m) => typeof m?.path?.value !== 'string' || !['PathPrefix', 'Exact'].includes(m.path.type)
    || !m.path.value.startsWith(provider.publicPathPrefix));
  if (matches.length === 0 || outside !== undefined) {
    throw inputError(provider, 'data plane route matches', outside ?? matches,
      `the data plane's maasRouteRule must match only paths under "${provider.publicPathPrefix}" (PathPrefix or Exact), or the provider's route would take other requests`);
  }
  return rule;
}
