import { MaasEgressGateway, ProviderCredential, ProviderEndpoint, BackendTls, SecretStoreRef, StoreTokenExternalSecret } from '../../lib';
import { find, newChart, ofKind, synth } from '../helpers';

describe('StoreTokenExternalSecret', () => {
  test('emits an ESO v1 ExternalSecret in Authorino\'s namespace whose Secret feeds a Vault credential', () => {
    const { app, chart } = newChart();
    const token = new StoreTokenExternalSecret(chart, 'VaultToken', {
      name: 'vault-token',
      store: SecretStoreRef.cluster('corp-vault'),
      remoteKey: 'maas/authorino',
      remoteProperty: 'token',
    });
    const egress = new MaasEgressGateway(chart, 'egress');
    egress.declareExistingSecret('public-ca');
    egress.addProvider('openai', {
      endpoint: ProviderEndpoint.openAi({ tls: BackendTls.verified({ caBundleSecret: 'public-ca' }) }),
      credential: ProviderCredential.fromVault({ address: 'https://vault.example.com', path: 'maas/openai', tokenSecret: token.secret }),
      models: ['gpt-4o'],
    });
    const out = synth(app);
    const es = find(out, 'ExternalSecret', 'vault-token', 'kuadrant-system');
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'corp-vault' },
      target: { name: 'vault-token' },
      data: [{ secretKey: 'token', remoteRef: { key: 'maas/authorino', property: 'token' } }],
    });
    expect(find(out, 'AuthPolicy', 'openai-bridge-auth').spec.rules.metadata.key_openai.http.sharedSecretRef)
      .toEqual({ name: 'vault-token', key: 'token' });
    expect(ofKind(out, 'Secret')).toEqual([]);
  });

  test('a namespaced store, another namespace and Secret key are honoured', () => {
    const { app, chart } = newChart();
    const token = new StoreTokenExternalSecret(chart, 'T', {
      name: 'keys-token', store: SecretStoreRef.namespaced('local'), remoteKey: 'k', namespace: 'authorino', secretKey: 'jwt', refreshInterval: '15m',
    });
    expect(token.secret).toEqual({ name: 'keys-token', key: 'jwt' });
    const es = find(synth(app), 'ExternalSecret', 'keys-token', 'authorino');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'local' });
    expect(es.spec.refreshInterval).toBe('15m');
    expect(es.spec.data[0].remoteRef).toEqual({ key: 'k' });
  });

  test.each([
    ['name', { name: 'Vault_Token' }, /\[test\/T\] invalid ExternalSecret name "Vault_Token"/],
    ['store given as a string', { store: 'corp-vault' }, /invalid secret store "corp-vault": use SecretStoreRef.cluster\(name\)/],
    ['empty remote key', { remoteKey: '' }, /invalid remote key "": give the key of the token in the store/],
    ['refresh interval', { refreshInterval: 'hourly' }, /invalid refresh interval "hourly"/],
    ['Secret key', { secretKey: 'a b' }, /invalid Secret key "a b"/],
  ])('rejects a bad %s', (_what, overrides, message) => {
    const { chart } = newChart();
    expect(() => new StoreTokenExternalSecret(chart, 'T', {
      name: 'vault-token', store: SecretStoreRef.cluster('s'), remoteKey: 'k', ...overrides,
    } as any)).toThrow(message);
  });
});
