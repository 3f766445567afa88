import { ManifestSet } from '../../lib/trace/manifest-set';
import { distSet, headerLiterals, trace } from './trace-helpers';

// The proof of concept's documented behaviour (SEED-README): /external/<p>/* reaches
// the provider with its key injected, a MaaS token is required, free tier 100 tokens
// per minute per user; the unified path picks the provider by the body's model.
const mixed = distSet('mixed-providers');
const unified = distSet('unified-endpoint');
const FREE = { user: 'alice', tier: 'free' };

describe('trace on dist/mixed-providers', () => {
  test('a free-tier request to OpenAI crosses both gateways with its key injected and the MaaS token removed', () => {
    const t = trace(mixed, 'POST', '/external/openai/v1/chat/completions', FREE);
    expect(t.outcome).toBe('forwarded');
    expect(t.hops.map((h) => [h.gateway, h.dataPlane, h.route, h.path])).toEqual([
      ['openshift-ingress/maas-default-gateway', 'istio', 'maas-egress/openai-bridge', '/external/openai/v1/chat/completions'],
      ['maas-egress/egress-gateway', 'wg-ai-gateway', 'maas-egress/openai-route', '/openai/v1/chat/completions'],
    ]);
    expect(t.upstream).toMatchObject({
      host: 'openai-simulator.external-models.svc.cluster.local',
      port: 8000,
      path: '/v1/chat/completions',
      hostHeader: 'openai-simulator.external-models.svc.cluster.local',
      tls: { enabled: false },
      backend: 'XBackendDestination maas-egress/openai-backend',
    });
    expect(Object.keys(t.upstream!.headers)).toEqual(['x-provider-api-key']);
    expect(t.upstream!.headers['x-provider-api-key']).toMatch(/^demo literal .*AuthPolicy maas-egress\/openai-bridge-auth.*maas-egress\/demo-credentials/);
  });

  test('free tier: 100 tokens per minute per user, from the route-level TokenRateLimitPolicy', () => {
    const t = trace(mixed, 'POST', '/external/anthropic/v1/chat/completions', FREE);
    expect(t.limits).toEqual([{
      kind: 'TokenRateLimitPolicy', policy: 'maas-egress/tier-tokens-anthropic', name: 'free-user-tokens',
      amount: 100, window: '1m', unit: 'tokens', counter: 'auth.identity.userid', route: 'maas-egress/anthropic-bridge',
    }]);
    expect(t.tierMaximum).toBe('tier free: at most 300 tokens per 1m over 3 limit(s) on the MaaS gateway\'s routes, per user');
  });

  test('premium keeps MaaS\'s budget on the route; a tier whose limit is removed is warned about; /v1/models is not counted', () => {
    const premium = trace(mixed, 'POST', '/external/openai/v1/chat/completions', { user: 'bob', tier: 'premium' });
    expect(premium.limits.filter((l) => !l.condition).map((l) => [l.name, l.amount])).toEqual([['premium-user-tokens', 50000]]);
    const withoutPremium = new ManifestSet(mixed.manifests.map((m: any) => (m.kind === 'TokenRateLimitPolicy'
      ? { ...m, spec: { ...m.spec, limits: Object.fromEntries(Object.entries(m.spec.limits).filter(([n]) => n !== 'premium-user-tokens')) } } : m)));
    const unlimited = trace(withoutPremium, 'POST', '/external/openai/v1/chat/completions', { user: 'bob', tier: 'premium' });
    expect(unlimited.warnings.join('\n')).toMatch(/tier premium has no token limit on route maas-egress\/openai-bridge.*replaces the gateway's token limits/);
    expect(trace(mixed, 'GET', '/external/openai/v1/models', FREE).limits).toEqual([]);
  });

  test('vLLM gets Authorization from the AuthPolicy: the key replaces the MaaS token', () => {
    const t = trace(mixed, 'POST', '/external/vllm/v1/completions', FREE);
    expect(t.upstream!.headers.authorization).toMatch(/^demo literal/);
    expect(t.upstream!.path).toBe('/v1/completions');
  });

  test('401 without a token, 404 for an unknown provider', () => {
    expect(trace(mixed, 'POST', '/external/openai/v1/chat/completions')).toMatchObject({ outcome: 'rejected', status: 401 });
    const unknown = trace(mixed, 'POST', '/external/mistral/v1/chat/completions', FREE);
    expect(unknown).toMatchObject({ outcome: 'rejected', status: 404 });
    expect(unknown.reason).toMatch(/no route on openshift-ingress\/maas-default-gateway/);
  });

  test('the wg-ai-gateway hop warns about its fixed 15 s idle timeout and the ignored HTTPRoute timeouts', () => {
    const w = trace(mixed, 'POST', '/external/openai/v1/chat/completions', FREE).warnings.join('\n');
    expect(w).toMatch(/15 s/);
    expect(w).toMatch(/ignores HTTPRoute timeouts/);
  });
});

describe('trace on dist/unified-endpoint', () => {
  const chat = (body: string, caller: object = FREE) => trace(unified, 'POST', '/v1/chat/completions', { ...caller, bodyText: body });

  test('the top-level model picks the provider, a nested one is ignored', () => {
    const t = chat('{"messages":[{"role":"user","content":"hi","model":"claude-3-sonnet"}],"model":"gpt-4"}');
    expect(t.outcome).toBe('forwarded');
    expect(t.hops[1].route).toBe('maas-egress/openai-unified');
    expect(t.upstream!.host).toBe('openai-simulator.external-models.svc.cluster.local');
    expect(t.hops[1].steps.some((step) => /x-maas-egress-provider/.test(step) && /remove/.test(step))).toBe(true);
    // the provider reads its key from its own header; the internal key headers and the MaaS token are gone
    // and the routing header stops at the egress gateway
    expect(Object.keys(t.upstream!.headers).sort()).toEqual(['content-type', 'x-provider-api-key']);
  });

  test('each model reaches its provider with the per-model request limit and the free tier budget', () => {
    const t = chat('{"model":"Qwen/Qwen3-0.6B"}');
    expect(t.upstream!.host).toBe('ec2-34-202-9-189.compute-1.amazonaws.com');
    expect(t.upstream!.headers.authorization).toMatch(/^demo literal/);
    expect(t.limits.map((l) => [l.kind, l.name, l.amount, l.window, l.unit])).toEqual([
      ['RateLimitPolicy', 'qwen-qwen3-0-6b-requests', 5, '1m', 'requests'],
      ['TokenRateLimitPolicy', 'free-user-tokens', 100, '1m', 'tokens'],
    ]);
  });

  test.each([
    ['{"model":"gpt-5"}', 'model_not_found'],
    ['{"messages":[{"model":"gpt-4"}]}', 'missing_model'],
    ['{"model":"gpt-4","model":"gpt-4"}', 'duplicate_model'],
    ['{"model":4}', 'invalid_model'],
    ['{"model":"gpt-4"', 'invalid_json'],
  ])('400 from the model router for %s', (body, code) => {
    expect(chat(body)).toMatchObject({ outcome: 'rejected', status: 400, reason: expect.stringMatching(new RegExp(`^${code}:`)) });
  });

  test('no token: 401 before the body is read', () => {
    expect(chat('{"model":"gpt-4"}', {})).toMatchObject({ outcome: 'rejected', status: 401 });
  });
});

test('no trace prints a key value, only where it comes from', () => {
  for (const [set, requests] of [
    [mixed, [['/external/openai/v1/chat/completions', undefined], ['/external/anthropic/v1/chat/completions', undefined], ['/external/vllm/v1/chat/completions', undefined]]],
    [unified, [['/v1/chat/completions', '{"model":"gpt-4"}'], ['/v1/chat/completions', '{"model":"claude-3-sonnet"}'], ['/v1/completions', '{"model":"Qwen/Qwen3-0.6B"}']]],
  ] as const) {
    const secrets = headerLiterals(set);
    expect(secrets.length).toBeGreaterThan(0);
    for (const [requestPath, body] of requests) {
      const output = JSON.stringify(trace(set, 'POST', requestPath, { ...FREE, ...(body && { bodyText: body }) }));
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
  }
});
