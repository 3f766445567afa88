import * as path from 'path';
import { parse } from 'yaml';
import { createApp } from '../../apps/unified-endpoint/main';
import { Manifests } from '../../lib';
import { Manifest } from '../../lib/core/manifest';
import { describeWithShared, find, ofKind, readYamlDir, SHARED_DIR, synth } from '../helpers';
import { Header, headerValues, runModelRouter } from '../lua/router-harness';

const NS = 'maas-egress';
const app = createApp();
const manifests = synth(app);
const registry: Array<{ id: string; provider: string }> = parse(find(manifests, 'ConfigMap', 'external-model-registry', 'opendatahub').data.models);
const unifiedAuth = find(manifests, 'AuthPolicy', 'unified-models-auth', NS);
const lua: string = find(manifests, 'EnvoyFilter', 'unified-models-model-router', 'openshift-ingress')
  .spec.configPatches[0].patch.value.typed_config.inline_code;

/** The value a demo-literal header expression evaluates to ('...' in CEL). */
function literal(expression: string): string {
  const match = /^'((?:[^'\\]|\\.)*)'$/.exec(expression);
  if (!match) throw new Error(`not a CEL string literal: ${expression}`);
  return match[1].replace(/\\(.)/g, '$1');
}

// What Authorino would put on a unified request: the MaaS token checked, every
// provider's key in its internal header.
const internalHeaders: Header[] = Object.entries(unifiedAuth.spec.rules.response.success.headers)
  .map(([name, value]: [string, any]) => [name, literal(value.plain.expression)]);
const request = (model: string, path = '/v1/chat/completions') => ({
  headers: [[':path', path], [':method', 'POST'], ['authorization', 'Bearer maas-token'], ...internalHeaders] as Header[],
  body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
});

const run = runModelRouter(lua, {
  ...Object.fromEntries(registry.map((m) => [m.id, request(m.id)])),
  'unknown model': request('gpt-5-turbo-max'),
  'completions path': request('gpt-4', '/v1/completions'),
  // Authorino could not fetch Anthropic's key, so it left that header out
  'anthropic key missing': { ...request('claude-3-sonnet'), headers: request('claude-3-sonnet').headers.filter(([n]) => n !== 'x-maas-egress-key-anthropic') },
  'other model while anthropic key missing': { ...request('gpt-4'), headers: request('gpt-4').headers.filter(([n]) => n !== 'x-maas-egress-key-anthropic') },
});

describe('unified-endpoint', () => {
  test('the MaaS route serves exactly the unified paths and goes to the egress Envoy', () => {
    const route = find(manifests, 'HTTPRoute', 'unified-models', NS);
    expect(route.spec.parentRefs).toEqual([{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }]);
    expect(route.spec.rules[0].matches).toEqual([
      { path: { type: 'Exact', value: '/v1/chat/completions' } },
      { path: { type: 'Exact', value: '/v1/completions' } },
    ]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'envoy-maas-egress-egress-gateway', port: 8080 }]);
    expect(unifiedAuth.spec.targetRef.name).toBe('unified-models');
    expect(unifiedAuth.spec.rules.authentication).toEqual(find(manifests, 'AuthPolicy', 'openai-bridge-auth', NS).spec.rules.authentication);
  });

  test.each(registry.map((m) => [m.id, m.provider]))('registry model %s is routed by the generated Lua to %s with the key its bridge injects', (model, provider) => {
    const outcome = run.outcomes.get(model)!;
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBeUndefined();
    expect(headerValues(outcome, 'x-maas-egress-provider')).toEqual([provider]);
    // the key and header are those of the provider's own bridge AuthPolicy
    const [[keyHeader, value]] = Object.entries(find(manifests, 'AuthPolicy', `${provider}-bridge-auth`, NS).spec.rules.response.success.headers) as [string, any][];
    expect(headerValues(outcome, keyHeader)).toEqual([literal(value.plain.expression)]);
    for (const [internal] of internalHeaders) expect(headerValues(outcome, internal)).toEqual([]);
    if (keyHeader.toLowerCase() !== 'authorization') expect(headerValues(outcome, 'authorization')).toEqual([]);
    // and the egress gateway has a route for that header value, to that provider's backend
    const egress = find(manifests, 'HTTPRoute', `${provider}-unified`, NS).spec.rules[0];
    expect(egress.matches[0].headers).toEqual([{ type: 'Exact', name: 'x-maas-egress-provider', value: provider }]);
    expect(egress.backendRefs[0].name).toBe(`${provider}-backend`);
  });

  test('an unknown model is answered 400 at the MaaS gateway', () => {
    const outcome = run.outcomes.get('unknown model')!;
    expect(outcome.status).toBe('400');
    expect(JSON.parse(outcome.responseBody!).error.code).toBe('model_not_found');
  });

  test('a missing key fails only its provider\'s models (503); the others still route', () => {
    const missing = run.outcomes.get('anthropic key missing')!;
    expect(missing.status).toBe('503');
    expect(JSON.parse(missing.responseBody!).error.code).toBe('provider_key_unavailable');
    expect(headerValues(run.outcomes.get('other model while anthropic key missing')!, 'x-maas-egress-provider')).toEqual(['openai']);
  });

  test('/v1/completions is routed too', () => {
    expect(headerValues(run.outcomes.get('completions path')!, 'x-maas-egress-provider')).toEqual(['openai']);
  });

  test('5 requests per minute per user and model, counted on the body\'s model', () => {
    const limits = find(manifests, 'RateLimitPolicy', 'unified-models-requests', NS).spec.limits;
    expect(Object.values(limits).map((l: any) => l.when[0].predicate).sort())
      .toEqual(registry.map((m) => `requestBodyJSON('/model') == ${JSON.stringify(m.id)}`).sort());
    for (const limit of Object.values(limits) as any[]) {
      expect(limit.rates).toEqual([{ limit: 5, window: '1m' }]);
      expect(limit.counters).toEqual([{ expression: 'auth.identity.userid' }]);
    }
  });

  test('the tier budget covers the unified route and every bridge route', () => {
    const budgets = ofKind(manifests, 'TokenRateLimitPolicy');
    expect(budgets.map((b) => b.spec.targetRef.name).sort()).toEqual(['anthropic-bridge', 'openai-bridge', 'unified-models', 'vllm-bridge']);
    for (const b of budgets) expect(b.spec.limits['free-user-tokens'].rates).toEqual([{ limit: 100, window: '1m' }]);
  });

  test('the Lua holds no key; the keys are demo literals in annotated policies only', () => {
    for (const [, key] of internalHeaders) expect(lua).not.toContain(key.replace(/^Bearer /, ''));
    expect(unifiedAuth.metadata.annotations).toEqual({ 'maas-egress/demo-credentials': 'true', [Manifests.SYNC_WAVE_ANNOTATION]: '3' });
  });

  describeWithShared('reference/poc/unified-path/')('against the proof of concept (reference/poc/unified-path)', () => {
    let poc: Manifest[] = [];
    beforeAll(() => { poc = readYamlDir(path.join(SHARED_DIR, 'reference', 'poc', 'unified-path')); });

    test('the same provider is chosen for each header value, on the same backend', () => {
      for (const route of ofKind(poc, 'HTTPRoute').filter((r) => r.metadata.name.startsWith('model-provider-'))) {
        const [pocRule] = route.spec.rules;
        const provider = pocRule.matches[0].headers[0].value;
        const ours = find(manifests, 'HTTPRoute', `${provider}-unified`, NS).spec.rules[0];
        expect(ours.backendRefs.map((b: any) => [b.group, b.kind, b.name, b.port]))
          .toEqual(pocRule.backendRefs.map((b: any) => [b.group, b.kind, b.name, b.port]));
      }
    });

    test('the same models route to the same providers as in its Lua', () => {
      const pocLua: string = find(poc, 'EnvoyFilter', 'model-key-injector').spec.configPatches[0].patch.value.typed_config.inline_code;
      const block = /local MODEL_PROVIDERS = \{([\s\S]*?)\n\}/.exec(pocLua)![1];
      const pocRoutes = [...block.matchAll(/\["([^"]+)"\] = "([^"]+)"/g)].map((m) => [m[1], m[2]]);
      expect(pocRoutes.length).toBe(3);
      for (const [model, provider] of pocRoutes) {
        expect(headerValues(run.outcomes.get(model)!, 'x-maas-egress-provider')).toEqual([provider]);
      }
    });

    test('the same 5 requests per minute for each external model (counted per user id, not user name)', () => {
      const pocLimits = Object.values(find(poc, 'RateLimitPolicy', 'gateway-request-rate-limits').spec.limits) as any[];
      const ours = Object.values(find(manifests, 'RateLimitPolicy', 'unified-models-requests', NS).spec.limits) as any[];
      const external = new Set(registry.map((m) => m.id));
      const byPredicate = (limits: any[]) => Object.fromEntries(limits
        .filter((l) => external.has(/== "(.*)"$/.exec(l.when[0].predicate)![1]))
        .map((l) => [l.when[0].predicate, l.rates]));
      expect(byPredicate(ours)).toEqual(byPredicate(pocLimits));
      expect(Object.keys(byPredicate(ours))).toHaveLength(3);
      // the PoC also limited the on-prem facebook/opt-125m, which MaaS routes itself
      expect(pocLimits.length - ours.length).toBe(1);
    });
  });

  test('snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });
});
