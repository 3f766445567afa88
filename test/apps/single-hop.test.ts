import * as path from 'path';
import { createApp } from '../../apps/single-hop/main';
import { ProviderCredential } from '../../lib';
import { manifestProblems } from '../../lib/validation/library-checks';
import { find, ofKind, readYamlDir, REPO_DIR, synth } from '../helpers';

const NS = 'maas-egress';
const manifests = synth(createApp());
const committed = readYamlDir(path.join(REPO_DIR, 'dist', 'single-hop')).filter((m) => m.kind !== 'Kustomization');
const maasParent = [{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }];

describe('single-hop (direct plane)', () => {
  test('no second gateway: every provider route hangs off the MaaS gateway', () => {
    for (const kind of ['Gateway', 'GatewayClass', 'XBackendDestination', 'NetworkPolicy', 'EnvoyFilter']) expect(ofKind(manifests, kind)).toEqual([]);
    const routes = ofKind(manifests, 'HTTPRoute');
    expect(routes.map((r) => r.metadata.name).sort()).toEqual(['anthropic-bridge', 'openai-api-bridge', 'openai-bridge', 'vllm-bridge']);
    for (const route of routes) expect(route.spec.parentRefs).toEqual(maasParent);
  });

  test('OpenAI over TLS checked by Istio against the system trust store and its name, key from Vault', () => {
    const [rule] = find(manifests, 'HTTPRoute', 'openai-api-bridge', NS).spec.rules;
    expect(rule.backendRefs).toEqual([{ group: 'networking.istio.io', kind: 'Hostname', name: 'api.openai.com', port: 443 }]);
    expect(rule.filters[0].urlRewrite.hostname).toBe('api.openai.com');
    expect(find(manifests, 'DestinationRule', 'openai-api-backend', NS).spec.trafficPolicy).toEqual({ tls: { mode: 'SIMPLE' } });
    const auth = find(manifests, 'AuthPolicy', 'openai-api-bridge-auth', NS);
    expect(auth.metadata.annotations?.[ProviderCredential.DEMO_ANNOTATION]).toBeUndefined();
    expect(Object.keys(auth.spec.rules.metadata)).toContain('key_openai_api');
  });

  test('the simulators are reached as in-cluster Services, granted to the route namespace', () => {
    for (const sim of ['openai-simulator', 'anthropic-simulator']) {
      expect(find(manifests, 'ReferenceGrant', `${NS}-to-${sim}`, 'external-models').spec.to).toEqual([{ group: '', kind: 'Service', name: sim }]);
    }
    expect(find(manifests, 'ServiceEntry', 'vllm-backend', NS).spec.ports).toEqual([{ number: 8000, name: 'http', protocol: 'HTTP' }]);
  });

  test('free tier 100 tokens per minute on every route; committed output valid and current', () => {
    for (const policy of ofKind(manifests, 'TokenRateLimitPolicy')) expect(policy.spec.limits['free-user-tokens'].rates).toEqual([{ limit: 100, window: '1m' }]);
    expect(manifestProblems(committed, [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'openshift-ingress', name: 'maas-default-gateway' }])).toEqual([]);
    const byKey = (objects: any[]) => Object.fromEntries(objects.map((m) => [`${m.kind}/${m.metadata.namespace}/${m.metadata.name}`, m]));
    expect(byKey(committed)).toEqual(byKey(JSON.parse(JSON.stringify(manifests))));
  });
});
