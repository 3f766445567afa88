import { ApiObjectMetadata } from 'cdk8s';
import { HttpRoute, HttpRouteSpecRulesFilters, HttpRouteSpecRulesFiltersType } from '../../../imports/gateway.networking.k8s.io';
import { AuthPolicy } from '../../../imports/kuadrant.io';
import type { ExternalProvider } from '../../constructs/external-provider';
import { DEMO_CREDENTIAL_ANNOTATION } from '../../credentials/provider-credential';
import { DataPlaneBinding } from '../../planes/data-plane-binding';
import { MaasIdentity } from '../maas-identity';

/**
 * The provider's route on the MaaS gateway (`/external/<p>/`, sent where the
 * data plane says) and its AuthPolicy: token review, the identity the limits
 * read, and the provider's key injected as a request header.
 */
export function addProviderBridge(provider: ExternalProvider, plane: DataPlaneBinding, identity: MaasIdentity): void {
  const maas = provider.gateway.platform.gateway;
  const rule = plane.maasRouteRule(provider);
  new HttpRoute(provider, 'BridgeRoute', {
    metadata: { name: provider.bridgeRouteName, namespace: provider.bridgeNamespace },
    spec: {
      parentRefs: [{ name: maas.name, namespace: maas.namespace }],
      rules: [{
        ...rule,
        filters: [...rule.filters ?? [], ...clientTokenRemoval(provider)],
        timeouts: { request: provider.requestTimeout },
      }],
    },
  });

  const binding = provider.credentialBinding;
  const header = provider.endpoint.keyHeader;
  const metadata: ApiObjectMetadata = { name: `${provider.bridgeRouteName}-auth`, namespace: provider.bridgeNamespace };
  const annotations = provider.credential.isDemo ? { [DEMO_CREDENTIAL_ANNOTATION]: 'true' } : undefined;
  const metadataRules = { ...identity.metadata(), ...binding.metadata };
  new AuthPolicy(provider, 'BridgeAuthPolicy', {
    metadata: { ...metadata, annotations },
    spec: {
      targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: provider.bridgeRouteName },
      rules: {
        authentication: identity.authentication(),
        metadata: Object.keys(metadataRules).length > 0 ? metadataRules : undefined,
        authorization: Object.keys(binding.authorization).length > 0 ? binding.authorization : undefined,
        response: {
          success: {
            filters: identity.identityFilter(),
            headers: { [header.name]: { plain: { expression: header.valueExpression(binding) } } },
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
function clientTokenRemoval(provider: ExternalProvider): HttpRouteSpecRulesFilters[] {
  if (provider.endpoint.keyHeader.name.toLowerCase() === 'authorization') return [];
  return [{
    type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER,
    requestHeaderModifier: { remove: ['Authorization'] },
  }];
}
