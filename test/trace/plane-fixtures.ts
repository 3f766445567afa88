import { Manifest } from '../../lib/core/manifest';
import { ManifestSet } from '../../lib/trace/manifest-set';

// Hand-written manifests of the data planes and platform the library emits besides
// dist/'s wg-ai-gateway plane: generic Gateway API / Istio / Kuadrant / MaaS shapes.

const GW = 'gateway.networking.k8s.io/v1';
const MAAS_PARENT = [{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }];

function o(apiVersion: string, kind: string, namespace: string | undefined, name: string, spec: any, metadata: any = {}): Manifest {
  return { apiVersion, kind, metadata: { name, ...(namespace && { namespace }), ...metadata }, spec };
}

function tokenAuth(name: string, route: string, headers: any, metadata?: any, authorization?: any): Manifest {
  return o('kuadrant.io/v1', 'AuthPolicy', 'maas-egress', name, {
    targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: route },
    rules: {
      authentication: { 'service-accounts': { kubernetesTokenReview: { audiences: ['maas-default-gateway-sa'] } } },
      ...(metadata && { metadata }),
      ...(authorization && { authorization }),
      response: { success: { headers } },
    },
  });
}

export function tierLimits(name: string, target: { kind: string; name: string; namespace?: string }, tiers: Record<string, number>, section: 'limits' | 'overrides' = 'limits'): Manifest {
  const limits = Object.fromEntries(Object.entries(tiers).map(([tier, tokens]) => [`${tier}-tokens`, {
    rates: [{ limit: tokens, window: '1m' }],
    when: [{ predicate: `auth.identity.tier == "${tier}"` }],
    counters: [{ expression: 'auth.identity.userid' }],
  }]));
  return o('kuadrant.io/v1alpha1', 'TokenRateLimitPolicy', target.namespace ?? 'maas-egress', name, {
    targetRef: { group: 'gateway.networking.k8s.io', kind: target.kind, name: target.name },
    ...(section === 'limits' ? { limits } : { overrides: { limits } }),
  });
}

function serviceEntry(host: string, exportTo = ['*']): Manifest {
  return o('networking.istio.io/v1', 'ServiceEntry', 'maas-egress', host.replace(/\./g, '-'), {
    hosts: [host], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], location: 'MESH_EXTERNAL', resolution: 'DNS', exportTo,
  });
}

function destinationRule(host: string, tls: any): Manifest {
  return o('networking.istio.io/v1', 'DestinationRule', 'maas-egress', `${host.replace(/\./g, '-')}-tls`, { host, trafficPolicy: { tls }, exportTo: ['*'] });
}

const VAULT_METADATA = {
  key_openai: {
    http: {
      url: 'https://vault.vault.svc:8200/v1/secret/data/maas/providers/openai', method: 'GET',
      sharedSecretRef: { name: 'vault-token', key: 'token' }, credentials: { customHeader: { name: 'X-Vault-Token' } },
    },
  },
};
const VAULT_DENY = {
  'key_openai-present': { patternMatching: { patterns: [{ predicate: 'has(auth.metadata.key_openai.data.data.api_key) && auth.metadata.key_openai.data.data.api_key != ""' }] } },
};

/** (b) Istio egress gateway plane: bridge on the MaaS gateway -> Service <gw>-<class> -> egress route -> Hostname backend. */
export function istioEgressPlane(tls: any = { mode: 'SIMPLE' }): Manifest[] {
  return [
    o(GW, 'Gateway', 'maas-egress', 'egress', { gatewayClassName: 'openshift-default', listeners: [{ name: 'http', port: 8080, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }] }),
    o(GW, 'HTTPRoute', 'maas-egress', 'openai-bridge', {
      parentRefs: MAAS_PARENT,
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/external/openai/' } }],
        filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/openai/' } } }],
        backendRefs: [{ name: 'egress-openshift-default', port: 8080 }],
      }],
    }),
    o(GW, 'HTTPRoute', 'maas-egress', 'openai-route', {
      parentRefs: [{ name: 'egress', namespace: 'maas-egress' }],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/openai/v1/' } }],
        filters: [{ type: 'URLRewrite', urlRewrite: { hostname: 'api.openai.com', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v1/' } } }],
        timeouts: { request: '600s' },
        backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'api.openai.com', port: 443 }],
      }],
    }),
    serviceEntry('api.openai.com', ['maas-egress']),
    ...(tls ? [destinationRule('api.openai.com', tls)] : []),
    tokenAuth('openai-bridge-auth', 'openai-bridge', { Authorization: { plain: { expression: "'Bearer ' + auth.metadata.key_openai.data.data.api_key" } } }, VAULT_METADATA, VAULT_DENY),
    tierLimits('tier-tokens-openai', { kind: 'HTTPRoute', name: 'openai-bridge' }, { free: 100, premium: 50000 }),
  ];
}

/** (c) direct plane: the provider's route on the MaaS gateway itself, to a Hostname backend. */
export function directPlane(): Manifest[] {
  return [
    o(GW, 'HTTPRoute', 'maas-egress', 'anthropic', {
      parentRefs: MAAS_PARENT,
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/external/anthropic/v1/' } }],
        filters: [{ type: 'URLRewrite', urlRewrite: { hostname: 'api.anthropic.com', path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v1/' } } }],
        timeouts: { request: '300s' },
        backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: 'api.anthropic.com', port: 443 }],
      }],
    }),
    serviceEntry('api.anthropic.com'),
    destinationRule('api.anthropic.com', { mode: 'SIMPLE', sni: 'api.anthropic.com', subjectAltNames: ['api.anthropic.com'] }),
    tokenAuth('anthropic-auth', 'anthropic', { Authorization: { plain: { expression: "'Bearer ' + auth.metadata.key_anthropic.api_key" } } }, {
      key_anthropic: { http: { url: 'https://keys.maas.svc:8443/v1/provider-keys', method: 'POST', body: { expression: '{"provider": "anthropic"}' } } },
    }),
    tierLimits('tier-tokens-anthropic', { kind: 'HTTPRoute', name: 'anthropic' }, { free: 100 }),
  ];
}

/** (d) subscription-based MaaS: one external model with its provider, key, access and subscriptions. */
export function currentMaas(): Manifest[] {
  return [
    o('external-secrets.io/v1', 'ExternalSecret', 'llm', 'anthropic-key', {
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
      target: { name: 'anthropic-key', template: { metadata: { labels: { 'inference.llm-d.ai/ipp-managed': 'true' } } } },
      data: [{ secretKey: 'api-key', remoteRef: { key: 'maas/providers/anthropic', property: 'api_key' } }],
    }),
    o('inference.opendatahub.io/v1alpha1', 'ExternalProvider', 'llm', 'anthropic-prod', {
      provider: 'anthropic', endpoint: 'api.anthropic.com', auth: { type: 'apikey', secretRef: { name: 'anthropic-key' } },
    }),
    o('inference.opendatahub.io/v1alpha1', 'ExternalModel', 'llm', 'claude', {
      externalProviderRefs: [{ ref: { name: 'anthropic-prod' }, targetModel: 'claude-sonnet-4-20250514', apiFormat: 'openai-chat', path: '/v1/chat/completions', weight: 1 }],
    }),
    o('maas.opendatahub.io/v1alpha1', 'MaaSModelRef', 'llm', 'claude', { modelRef: { kind: 'ExternalModel', name: 'claude' } }),
    o('maas.opendatahub.io/v1alpha1', 'MaaSAuthPolicy', 'models-as-a-service', 'claude-access', {
      modelRefs: [{ name: 'claude', namespace: 'llm' }], subjects: { groups: [{ name: 'premium-users' }, { name: 'trial-users' }] },
    }),
    o('maas.opendatahub.io/v1alpha1', 'MaaSSubscription', 'models-as-a-service', 'premium', {
      owner: { groups: [{ name: 'premium-users' }] }, priority: 10,
      modelRefs: [{ name: 'claude', namespace: 'llm', tokenRateLimits: [{ limit: 100000, window: '1h' }] }],
    }),
  ];
}

export function setOf(...lists: Manifest[][]): ManifestSet {
  return new ManifestSet(lists.flat());
}
