import { currentMaas, directPlane, istioEgressPlane, setOf } from './plane-fixtures';
import { trace } from './trace-helpers';

const FREE = { user: 'alice', tier: 'free' };

describe('Istio egress gateway plane', () => {
  test('bridge -> Service <gw>-<class> -> egress route -> ServiceEntry host, TLS with automatic SNI and SAN check', () => {
    const t = trace(setOf(istioEgressPlane()), 'POST', '/external/openai/v1/chat/completions', FREE);
    expect(t.outcome).toBe('forwarded');
    expect(t.hops.map((h) => [h.gateway, h.dataPlane, h.path])).toEqual([
      ['openshift-ingress/maas-default-gateway', 'istio', '/external/openai/v1/chat/completions'],
      ['maas-egress/egress', 'istio', '/openai/v1/chat/completions'],
    ]);
    expect(t.upstream).toMatchObject({ host: 'api.openai.com', port: 443, path: '/v1/chat/completions', hostHeader: 'api.openai.com', backend: 'ServiceEntry maas-egress/api-openai-com' });
    expect(t.upstream!.tls.enabled).toBe(true);
    expect(t.upstream!.tls.verification).toMatch(/system trust store; name checked automatically against api.openai.com/);
    expect(t.upstream!.headers.authorization).toBe('"Bearer " + key from Vault https://vault.vault.svc:8200, KV v2 mount "secret", path "maas/providers/openai", field "api_key"');
    expect(t.upstream!.timeouts).toMatch(/maas-egress\/egress: 600s for the whole response/);
    expect(t.warnings.join('\n')).not.toMatch(/15 s/);
    expect(t.hops[0].steps.join('\n')).toMatch(/may deny: 403 when the key from Vault .* cannot be fetched/);
  });

  test('a private CA, a skipped verification and a missing DestinationRule are each told apart', () => {
    const ca = trace(setOf(istioEgressPlane({ mode: 'SIMPLE', credentialName: 'openai-ca' })), 'POST', '/external/openai/v1/x', FREE);
    expect(ca.upstream!.tls.verification).toMatch(/CA in Secret maas-egress\/openai-ca/);
    expect(ca.warnings.join('\n')).toMatch(/Secret maas-egress\/openai-ca .* not in these manifests/);
    const skip = trace(setOf(istioEgressPlane({ mode: 'SIMPLE', insecureSkipVerify: true })), 'POST', '/external/openai/v1/x', FREE);
    expect(skip.warnings.join('\n')).toMatch(/certificate is NOT verified/);
    const none = trace(setOf(istioEgressPlane(null)), 'POST', '/external/openai/v1/x', FREE);
    expect(none.upstream!.tls.enabled).toBe(false);
    expect(none.warnings.join('\n')).toMatch(/no DestinationRule originates TLS/);
  });

  test('a Hostname backend without a ServiceEntry answers 500', () => {
    const manifests = istioEgressPlane().filter((m) => m.kind !== 'ServiceEntry');
    expect(trace(setOf(manifests), 'POST', '/external/openai/v1/x', FREE)).toMatchObject({ outcome: 'rejected', status: 500 });
  });
});

describe('direct plane', () => {
  test('one hop on the MaaS gateway to the provider, key from a key service, SNI and SAN pinned', () => {
    const t = trace(setOf(directPlane()), 'POST', '/external/anthropic/v1/chat/completions', FREE);
    expect(t.hops).toHaveLength(1);
    expect(t.upstream).toMatchObject({ host: 'api.anthropic.com', port: 443, path: '/v1/chat/completions', hostHeader: 'api.anthropic.com' });
    expect(t.upstream!.tls).toMatchObject({ enabled: true, sni: 'api.anthropic.com' });
    expect(t.upstream!.tls.verification).toMatch(/name checked against \["api.anthropic.com"\]/);
    // the AuthPolicy sets Authorization: the client's token is replaced, not forwarded
    expect(t.upstream!.headers.authorization).toMatch(/key from key service POST https:\/\/keys.maas.svc:8443\/v1\/provider-keys, field "api_key"/);
    expect(t.limits.map((l) => `${l.amount} ${l.unit}/${l.window}`)).toEqual(['100 tokens/1m']);
  });
});

describe('subscription-based MaaS', () => {
  const set = setOf(currentMaas());
  const body = '{"model":"claude","messages":[]}';

  test('a subscriber is served by the payload processor\'s route with the subscription\'s per-user limit and the key\'s source', () => {
    const t = trace(set, 'POST', '/v1/chat/completions', { user: 'carol', groups: ['premium-users'], bodyText: body });
    expect(t.outcome).toBe('forwarded');
    expect(t.hops[0]).toMatchObject({ dataPlane: 'payload-processor', route: 'llm/claude' });
    expect(t.hops[0].steps.join('\n')).toMatch(/target model "claude-sonnet-4-20250514"/);
    expect(t.upstream).toMatchObject({ host: 'api.anthropic.com', port: 443, path: '/v1/chat/completions', tls: { enabled: true } });
    // an anthropic-type provider gets its key in x-api-key, without a prefix
    expect(t.upstream!.headers['x-api-key']).toMatch(/^<key \(apikey\) from Secret llm\/anthropic-key synced by ExternalSecret llm\/anthropic-key from ClusterSecretStore vault key maas\/providers\/anthropic>/);
    expect(t.limits).toEqual([{
      kind: 'MaaSSubscription', policy: 'models-as-a-service/premium', name: 'llm/claude', amount: 100000, window: '1h', unit: 'tokens',
      counter: 'auth.identity.userid (per user, per model: TokenRateLimitPolicy maas-trlp-claude)',
    }]);
  });

  test('the client id is the object name; a spec.modelName or TLS annotation is flagged, since nothing reads it as intended', () => {
    const withExtras = setOf(currentMaas().map((m: any) => m.kind === 'ExternalModel' ? { ...m, spec: { ...m.spec, modelName: 'claude-sonnet' } }
      : m.kind === 'ExternalProvider' ? { ...m, metadata: { ...m.metadata, annotations: { 'inference.opendatahub.io/tls': 'false' } } } : m));
    const t = trace(withExtras, 'POST', '/v1/chat/completions', { user: 'carol', groups: ['premium-users'], bodyText: body });
    expect(t.outcome).toBe('forwarded');
    expect(t.upstream).toMatchObject({ port: 443, tls: { enabled: true } });
    expect(t.warnings.join('\n')).toMatch(/sets spec.modelName "claude-sonnet": MaaS lists and subscribes the model as "claude"/);
    expect(t.warnings.join('\n')).toMatch(/the payload processor ignores inference.opendatahub.io\/tls; it connects with TLS to port 443/);
    expect(trace(withExtras, 'POST', '/v1/chat/completions', { user: 'carol', groups: ['premium-users'], bodyText: '{"model":"claude-sonnet"}' }).status).toBe(404);
  });

  test('no token 401, not a subject 403, a subject without a subscription 429', () => {
    expect(trace(set, 'POST', '/llm/claude/v1/chat/completions', { bodyText: body })).toMatchObject({ status: 401 });
    expect(trace(set, 'POST', '/v1/chat/completions', { user: 'dan', groups: ['others'], bodyText: body })).toMatchObject({ status: 403 });
    expect(trace(set, 'POST', '/v1/chat/completions', { user: 'erin', groups: ['trial-users'], bodyText: body })).toMatchObject({ status: 429 });
  });
});

describe('in-cluster Service backends across namespaces (dist/single-hop)', () => {
  const { ManifestSet } = require('../../lib/trace/manifest-set') as typeof import('../../lib/trace/manifest-set');
  const { distSet } = require('./trace-helpers') as typeof import('./trace-helpers');
  const set = distSet('single-hop');

  test('the ReferenceGrant in the Service\'s namespace lets the route reach the simulator; without it, 500', () => {
    const t = trace(set, 'POST', '/external/anthropic/v1/chat/completions', FREE);
    expect(t.upstream).toMatchObject({ host: 'anthropic-simulator.external-models.svc.cluster.local', port: 8000, backend: 'Service external-models/anthropic-simulator' });
    expect(t.objects).toContain('ReferenceGrant external-models/maas-egress-to-anthropic-simulator');
    const withoutGrant = new ManifestSet(set.manifests.filter((m) => m.kind !== 'ReferenceGrant'));
    expect(trace(withoutGrant, 'POST', '/external/anthropic/v1/chat/completions', FREE)).toMatchObject({ outcome: 'rejected', status: 500 });
  });
});
