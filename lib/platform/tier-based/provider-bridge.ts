import { ApiObjectMetadata } from 'cdk8s';
import { HttpRoute } from '../../../imports/gateway.networking.k8s.io';
import { AuthPolicy } from '../../../imports/kuadrant.io';
import { DEMO_CREDENTIAL_ANNOTATION } from '../../internal/annotations';
import { PLAINTEXT_KEY_ANNOTATION } from '../../internal/annotations';
import { withRemovedRequestHeaders } from '../../providers/provider-routes';
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
  const rule = withRemovedRequestHeaders(plane.maasRouteRule(provider), clientTokenRemoval(provider));
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
