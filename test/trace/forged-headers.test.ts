import { distSet, trace } from './trace-helpers';

// A client that sends the routing header or an internal key header itself, on
// the Istio egress gateway plane (dist/real-providers): the header guard drops
// them before Kuadrant, and the body's model decides.
const set = distSet('real-providers');

test('forged provider and key headers are removed first; the body\'s model picks the provider and its Vault key', () => {
  const result = trace(set, 'POST', '/v1/chat/completions', {
    user: 'alice',
    tier: 'free',
    headers: [['x-maas-egress-provider', 'openai'], ['x-maas-egress-key-gemini', 'client-chosen']],
    bodyText: '{"model":"gemini-2.5-flash"}',
  });
  expect(result.outcome).toBe('forwarded');
  expect(result.hops[0].steps).toContain(
    'header guard EnvoyFilter openshift-ingress/unified-models-header-guard: removes client-sent x-maas-egress-provider, x-maas-egress-key-gemini');
  expect(result.hops[1].route).toBe('maas-egress/gemini-unified');
  expect(result.upstream?.host).toBe('generativelanguage.googleapis.com');
  expect(result.upstream?.headers.authorization).toMatch(/key from Vault .*path "maas\/providers\/gemini"/);
  expect(JSON.stringify(result)).not.toContain('client-chosen');
  expect(result.limits.map((l) => `${l.kind} ${l.name}`)).toEqual(['TokenRateLimitPolicy free-user-tokens']);
});

test('without a token the forged headers get nowhere: 401 on the unified route', () => {
  const result = trace(set, 'POST', '/v1/chat/completions', {
    headers: [['x-maas-egress-provider', 'openai'], ['authorization', 'Bearer sk-my-own-openai-key']],
    bodyText: '{"model":"gpt-4o"}',
  });
  expect([result.outcome, result.status]).toEqual(['rejected', 401]);
  expect(result.hops.map((h) => h.route)).toEqual(['maas-egress/unified-models']);
});
