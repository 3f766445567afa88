import * as path from 'path';
import { parse } from 'yaml';
import { createApp } from '../../apps/real-providers/main';
import { DEMO_CREDENTIAL_ANNOTATION } from '../../lib';
import { demoCredentialValues } from '../../lib/credentials/provider-credential';
import { credentialFindings } from '../../lib/validation/credential-scan';
import { find, ofKind, readYamlDir, REPO_DIR, synth } from '../helpers';

const NS = 'maas-egress';
const HOSTS: Record<string, string> = {
  openai: 'api.openai.com',
  anthropic: 'api.anthropic.com',
  gemini: 'generativelanguage.googleapis.com',
};
const PROVIDERS = Object.keys(HOSTS);

const app = createApp();
const manifests = synth(app);
const committed = readYamlDir(path.join(REPO_DIR, 'dist', 'real-providers')).filter((m) => m.kind !== 'Kustomization');

describe('real-providers', () => {
  test.each(PROVIDERS)('%s is reached over TLS verified against the declared CA bundle', (p) => {
    expect(find(manifests, 'XBackendDestination', `${p}-backend`, NS).spec.destination).toEqual({
      type: 'Fqdn',
      fqdn: { hostname: HOSTS[p] },
      ports: [{
        number: 443,
        protocol: 'HTTP',
        tls: { mode: 'Simple', sni: HOSTS[p], caBundleRef: [{ group: '', kind: 'Secret', name: 'public-ca-bundle' }] },
      }],
    });
  });

  test.each(PROVIDERS)('%s: the key comes from Vault at request time and the request is denied without it', (p) => {
    const rules = find(manifests, 'AuthPolicy', `${p}-bridge-auth`, NS).spec.rules;
    const key = `key_${p}`;
    expect(rules.metadata[key].http).toEqual({
      url: `https://vault.vault.svc:8200/v1/secret/data/maas/providers/${p}`,
      method: 'GET',
      sharedSecretRef: { name: 'vault-provider-keys-token', key: 'token' },
      credentials: { customHeader: { name: 'X-Vault-Token' } },
    });
    expect(Object.keys(rules.authorization)).toEqual([`${key}-present`]);
    expect(rules.response.success.headers).toEqual({
      Authorization: { plain: { expression: `'Bearer ' + auth.metadata.${key}.data.data.api_key` } },
    });
  });

  test('Gemini is reached at its OpenAI-compatible base path', () => {
    const filter = find(manifests, 'HTTPRoute', 'gemini-route', NS).spec.rules[0].filters[0];
    expect(filter.urlRewrite).toEqual({ hostname: HOSTS.gemini, path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v1beta/openai/' } });
  });

  test('every model is in the registry and every bridge route has the free-tier budget', () => {
    const registry = parse(find(manifests, 'ConfigMap', 'external-model-registry', 'opendatahub').data.models);
    expect(registry.map((m: any) => `${m.provider}/${m.id}`)).toEqual([
      'openai/gpt-4o', 'openai/gpt-4o-mini',
      'anthropic/claude-sonnet-4-5', 'anthropic/claude-haiku-4-5',
      'gemini/gemini-2.5-flash', 'gemini/gemini-2.5-pro',
    ]);
    const budgets = ofKind(manifests, 'TokenRateLimitPolicy');
    expect(budgets.map((b) => b.spec.targetRef.name).sort()).toEqual(PROVIDERS.map((p) => `${p}-bridge`).sort());
    for (const budget of budgets) expect(budget.spec.limits['free-user-tokens'].rates).toEqual([{ limit: 100, window: '1m' }]);
  });

  test('no key material: no demo values, no demo annotation, no Secret, nothing secret-shaped (synthesized and committed)', () => {
    expect(demoCredentialValues(app)).toEqual([]);
    for (const objects of [manifests, committed]) {
      expect(objects.length).toBe(26);
      expect(credentialFindings(objects, [])).toEqual([]);
      expect(objects.filter((m: any) => m.metadata.annotations?.[DEMO_CREDENTIAL_ANNOTATION])).toEqual([]);
      expect(objects.filter((m) => m.kind === 'Secret')).toEqual([]);
      const text = JSON.stringify(objects);
      expect(text).not.toMatch(/change-me|not-a-real|for-demo|sk-|api_key"\s*:/i);
    }
  });

  test('the committed dist matches a fresh synth', () => {
    const byKey = (objects: any[]) => Object.fromEntries(objects.map((m) => [`${m.kind}/${m.metadata.namespace}/${m.metadata.name}`, m]));
    expect(byKey(committed)).toEqual(byKey(JSON.parse(JSON.stringify(manifests))));
  });

  test('snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });
});
