import { BackendTls, MaasEgressGateway, Manifests, ProviderCredential, ProviderEndpoint } from '../../lib';
import { demoCredentialValues } from '../../lib/credentials/provider-credential';
import { credentialFindings } from '../../lib/validation/credential-scan';
import { find, newChart, synth } from '../helpers';

const URL = 'https://maas-api.opendatahub.svc.cluster.local:8443/v1/provider-keys';
const keyService = (overrides: Record<string, unknown> = {}) =>
  ProviderCredential.fromHttpKeyService({ url: URL, ...overrides } as any);

function build(credential: ProviderCredential, name = 'azure-east') {
  const { app, chart } = newChart();
  const egress = new MaasEgressGateway(chart, 'egress');
  egress.declareExistingSecret('public-ca');
  egress.addProvider(name, {
    endpoint: ProviderEndpoint.azureOpenAi({ resource: 'contoso', tls: BackendTls.verified({ caBundleSecret: 'public-ca' }) }),
    credential,
    models: ['gpt-4o'],
  });
  return app;
}

describe('ProviderCredential.fromHttpKeyService', () => {
  test('POSTs the provider name, caches the key per provider, denies without it and injects it', () => {
    const app = build(keyService({ tokenSecret: { name: 'key-service-token', key: 'jwt' }, cacheTtlSeconds: 60 }));
    const out = synth(app);
    const policy = find(out, 'AuthPolicy', 'azure-east-bridge-auth');
    expect(policy.metadata.annotations).toEqual({ [Manifests.SYNC_WAVE_ANNOTATION]: '3' }); // no demo-credential annotation
    expect(policy.spec.rules.metadata.key_azure_east).toEqual({
      http: {
        url: URL,
        method: 'POST',
        contentType: 'application/json',
        body: { expression: '{"provider": "azure-east"}' },
        sharedSecretRef: { name: 'key-service-token', key: 'jwt' },
        credentials: { authorizationHeader: { prefix: 'Bearer' } },
      },
      cache: { key: { value: 'azure-east-key' }, ttl: 60 },
    });
    expect(policy.spec.rules.authorization).toEqual({
      'known-tier': expect.anything(),
      'key_azure_east-present': { patternMatching: { patterns: [{ predicate: 'has(auth.metadata.key_azure_east.api_key) && auth.metadata.key_azure_east.api_key != ""' }] } },
    });
    // Azure takes the key alone in api-key
    expect(policy.spec.rules.response.success.headers).toEqual({
      'api-key': { plain: { expression: 'auth.metadata.key_azure_east.api_key' } },
    });
    expect(credentialFindings(out, demoCredentialValues(app))).toEqual([]);
  });

  test('without a token Secret no credentials are sent; keyField picks the response member', () => {
    const out = synth(build(keyService({ keyField: 'secret' })));
    const http = find(out, 'AuthPolicy', 'azure-east-bridge-auth').spec.rules.metadata.key_azure_east.http;
    expect(http.sharedSecretRef).toBeUndefined();
    expect(http.credentials).toBeUndefined();
    expect(find(out, 'AuthPolicy', 'azure-east-bridge-auth').spec.rules.response.success.headers['api-key'].plain.expression)
      .toBe('auth.metadata.key_azure_east.secret');
  });

  test.each([
    ['relative URL', { url: '/v1/provider-keys' }, /invalid key service URL "\/v1\/provider-keys": give an absolute http\(s\) URL/],
    ['URL with a query', { url: `${URL}?provider=x` }, /invalid key service URL ".*\?provider=x": give an absolute http\(s\) URL without query/],
    ['response field CEL cannot read', { keyField: 'api.key' }, /invalid key service response field "api.key"/],
    ['token Secret without a name', { tokenSecret: {} }, /invalid key service token Secret name undefined/],
    ['token Secret key with a slash', { tokenSecret: { name: 't', key: 'a/b' } }, /invalid key service token Secret key "a\/b"/],
    ['zero cache TTL', { cacheTtlSeconds: 0 }, /invalid key cache TTL 0/],
  ])('rejects a %s, naming the provider', (_name, overrides, message) => {
    expect(() => build(keyService(overrides))).toThrow(message);
    expect(() => build(keyService(overrides))).toThrow(/\[test\/egress\/azure-east\]/);
  });
});
