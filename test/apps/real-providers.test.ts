import * as path from 'path';
import { parse } from 'yaml';
import { createApp } from '../../apps/real-providers/main';
import { ProviderCredential } from '../../lib';
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
  test.each(PROVIDERS)('%s is reached through the Istio egress gateway over TLS checked by chain and name', (p) => {
    const entry = find(manifests, 'ServiceEntry', `${p}-backend`, NS);
    expect(entry.spec).toEqual({
      hosts: [HOSTS[p]],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }],
      exportTo: ['.'],
    });
    // no sni, no subjectAltNames, no insecureSkipVerify: Istio sets SNI from the rewritten Host
    // and checks the certificate against it and the system trust store
    expect(find(manifests, 'DestinationRule', `${p}-backend`, NS).spec).toEqual({
      host: HOSTS[p], exportTo: ['.'], trafficPolicy: { tls: { mode: 'SIMPLE' } },
    });
    const route = find(manifests, 'HTTPRoute', `${p}-route`, NS).spec;
    expect(route.parentRefs).toEqual([{ name: 'egress-gateway', namespace: NS }]);
    expect(route.rules[0].backendRefs).toEqual([{ group: 'networking.istio.io', kind: 'Hostname', name: HOSTS[p], port: 443 }]);
    expect(route.rules[0].filters[0].urlRewrite.hostname).toBe(HOSTS[p]);
    expect(route.rules[0].timeouts).toEqual({ request: '300s' });
    expect(find(manifests, 'HTTPRoute', `${p}-bridge`, NS).spec.rules[0].backendRefs)
      .toEqual([{ name: 'egress-gateway-openshift-default', port: 8080 }]);
  });

  test('no wg-ai-gateway, no controller, no LoadBalancer: a ClusterIP Istio gateway fenced to the MaaS gateway pods', () => {
    expect(manifests.filter((m) => m.apiVersion.startsWith('ainetworking.') || m.kind === 'Deployment' || m.kind === 'GatewayClass')).toEqual([]);
    expect(manifests.filter((m: any) => m.kind === 'Service' && m.spec?.type === 'LoadBalancer')).toEqual([]);
    const gateway = find(manifests, 'Gateway', 'egress-gateway', NS);
    expect(gateway.spec.gatewayClassName).toBe('openshift-default');
    expect(gateway.metadata.annotations['networking.istio.io/service-type']).toBe('ClusterIP');
    const policy = find(manifests, 'NetworkPolicy', 'egress-gateway-envoy-ingress', NS).spec;
    expect(policy.podSelector).toEqual({ matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'egress-gateway' } });
    expect(policy.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-ingress' } },
        podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'maas-default-gateway' } },
      }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
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
    expect(Object.keys(rules.authorization).sort()).toEqual([`${key}-present`, 'known-tier']);
    expect(rules.response.success.headers).toEqual({
      authorization: { plain: { expression: `'Bearer ' + auth.metadata.${key}.data.data.api_key` } },
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
    expect(budgets.map((b) => b.spec.targetRef.name).sort()).toEqual([...PROVIDERS.map((p) => `${p}-bridge`), 'unified-models'].sort());
    for (const budget of budgets) expect(budget.spec.limits['free-user-tokens'].rates).toEqual([{ limit: 100, window: '1m' }]);
  });

  test('no key material: no demo values, no demo annotation, no Secret, nothing secret-shaped (synthesized and committed)', () => {
    expect(demoCredentialValues(app)).toEqual([]);
    for (const objects of [manifests, committed]) {
      expect(objects.length).toBe(manifests.length);
      expect(credentialFindings(objects, [])).toEqual([]);
      expect(objects.filter((m: any) => m.metadata.annotations?.[ProviderCredential.DEMO_ANNOTATION])).toEqual([]);
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
