import { BackendTls, MaasEgressGateway, Manifests, ProviderCredential, ProviderEndpoint } from '../../lib';
import { demoCredentialValues } from '../../lib/credentials/provider-credential';
import { credentialFindings } from '../../lib/validation/credential-scan';
import { find, newChart, synth } from '../helpers';

const vault = (overrides: Record<string, unknown> = {}) => ProviderCredential.fromVault({
  address: 'https://vault.vault.svc:8200',
  path: 'maas/providers/openai',
  tokenSecret: { name: 'vault-token' },
  ...overrides,
} as any);

function build(credential: ProviderCredential) {
  const { app, chart } = newChart();
  const egress = new MaasEgressGateway(chart, 'egress');
  egress.declareExistingSecret('public-ca');
  egress.addProvider('openai', {
    endpoint: ProviderEndpoint.openAi({ tls: BackendTls.verified({ caBundleSecret: 'public-ca' }) }),
    credential,
    models: ['gpt-4o'],
  });
  return app;
}

describe('ProviderCredential.fromVault', () => {
  test('fetches the key from Vault KV v2, caches it, denies without it, and builds the header from it', () => {
    const app = build(vault({ cacheTtlSeconds: 120 }));
    const out = synth(app);
    const policy = find(out, 'AuthPolicy', 'openai-bridge-auth');
    expect(policy.metadata.annotations).toEqual({ [Manifests.SYNC_WAVE_ANNOTATION]: '3' }); // no demo-credential annotation
    expect(policy.spec.rules.metadata).toEqual({
      matchedTier: expect.objectContaining({ http: expect.objectContaining({ url: 'https://maas-api.opendatahub.svc.cluster.local:8443/v1/tiers/lookup' }) }),
      key_openai: {
        http: {
          url: 'https://vault.vault.svc:8200/v1/secret/data/maas/providers/openai',
          method: 'GET',
          sharedSecretRef: { name: 'vault-token', key: 'token' },
          credentials: { customHeader: { name: 'X-Vault-Token' } },
        },
        cache: { key: { value: 'openai-key' }, ttl: 120 },
      },
    });
    expect(policy.spec.rules.authorization).toEqual({
      'known-tier': expect.anything(),
      'key_openai-present': { patternMatching: { patterns: [{ predicate: 'has(auth.metadata.key_openai.data.data.api_key) && auth.metadata.key_openai.data.data.api_key != ""' }] } },
    });
    expect(policy.spec.rules.response.success.headers).toEqual({
      authorization: { plain: { expression: "'Bearer ' + auth.metadata.key_openai.data.data.api_key" } },
    });
    expect(credentialFindings(out, demoCredentialValues(app))).toEqual([]);
  });

  test.each([
    ['address with a path', { address: 'https://vault.example.com/v1' }, /invalid Vault address "https:\/\/vault.example.com\/v1": give the scheme and host/],
    ['path with a leading slash', { path: '/maas/openai' }, /invalid Vault secret path "\/maas\/openai": give a relative path/],
    ['field that CEL cannot read', { field: 'api-key' }, /invalid Vault field "api-key": give a field name of letters, digits and "_"/],
    ['token Secret with an invalid name', { tokenSecret: { name: 'Vault Token' } }, /invalid Vault token Secret name "Vault Token"/],
  ])('rejects a %s', (_name, overrides, message) => {
    expect(() => build(vault(overrides))).toThrow(message);
  });
});
