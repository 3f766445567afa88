import { ManifestSet } from '../../lib/trace/manifest-set';
import { effectivePolicy } from '../../lib/trace/policy-resolution';
import { replacePrefix, selectRule } from '../../lib/trace/route-selection';
import { tierLimits } from './plane-fixtures';

function route(name: string, rules: any[]): any {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'ns' }, spec: { rules } };
}
const rule = (id: string, ...matches: any[]) => ({ id, matches });
const prefix = (value: string, extra: any = {}) => ({ path: { type: 'PathPrefix', value }, ...extra });
const request = (path: string, headers: Record<string, string> = {}, method = 'POST') =>
  ({ method, path, query: new Map<string, string>(), headers: new Map(Object.entries(headers)) });
const chosen = (routes: any[], req: ReturnType<typeof request>) => selectRule(routes, req)?.rule.id;

describe('Gateway API route precedence', () => {
  const routes = [
    route('a', [rule('prefix-short', prefix('/v1/')), rule('exact', { path: { type: 'Exact', value: '/v1/chat' } })]),
    route('b', [rule('prefix-long', prefix('/v1/chat/')), rule('header', prefix('/v1/', { headers: [{ name: 'X-P', value: 'openai' }] }))]),
    route('c', [rule('method', prefix('/v1/', { method: 'GET' }))]),
  ];

  test('exact beats prefix, a longer prefix beats a shorter one', () => {
    expect(chosen(routes, request('/v1/chat'))).toBe('exact');
    expect(chosen(routes, request('/v1/chat/completions'))).toBe('prefix-long');
  });

  test('among equal prefixes, a method match, then more header matches win (header names ignore case)', () => {
    expect(chosen(routes, request('/v1/models', {}, 'GET'))).toBe('method');
    expect(chosen(routes, request('/v1/models', { 'x-p': 'openai' }))).toBe('header');
    expect(chosen(routes, request('/v1/models', { 'x-p': 'other' }))).toBe('prefix-short');
  });

  test('prefixes match whole path elements; a trailing slash is ignored', () => {
    expect(chosen([route('r', [rule('p', prefix('/external/openai/'))])], request('/external/openai'))).toBe('p');
    expect(chosen([route('r', [rule('p', prefix('/external/openai'))])], request('/external/openaix/v1'))).toBeUndefined();
  });

  test('ties go to the first route by namespace/name, then to the first rule', () => {
    const tie = [route('z', [rule('z1', prefix('/x'))]), route('m', [rule('m1', prefix('/x')), rule('m2', prefix('/x'))])];
    expect(chosen(tie, request('/x/y'))).toBe('m1');
  });

  test.each([
    ['/foo/bar', '/foo', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz/', '/xyz/bar'],
    ['/foo/', '/foo', '/xyz', '/xyz/'],
    ['/foo', '/foo', '', '/'],
    ['/foo/bar', '/foo', '', '/bar'],
    ['/external/openai/v1/chat', '/external/openai/', '/openai/', '/openai/v1/chat'],
    ['/gemini/v1/chat', '/gemini/v1/', '/v1beta/openai/', '/v1beta/openai/chat'],
  ])('ReplacePrefixMatch %s with %s -> %s gives %s (the Gateway API table)', (path, match, replacement, expected) => {
    expect(replacePrefix(path, match, replacement)).toBe(expected);
  });
});

describe('Kuadrant policy resolution', () => {
  const bridge = route('bridge', []);
  const gateway = { namespace: 'openshift-ingress', name: 'maas-default-gateway' };
  const onGateway = tierLimits('gateway-tokens', { kind: 'Gateway', name: 'maas-default-gateway', namespace: 'openshift-ingress' }, { free: 100, premium: 50000 });
  const onRoute = { ...tierLimits('route-tokens', { kind: 'HTTPRoute', name: 'bridge' }, { free: 10 }), metadata: { name: 'route-tokens', namespace: 'ns' } };

  test('the gateway-level policy applies where no route-level one exists', () => {
    expect(effectivePolicy(new ManifestSet([onGateway]), 'TokenRateLimitPolicy', bridge, gateway)?.policy.metadata.name).toBe('gateway-tokens');
  });

  test('a route-level policy replaces the gateway-level one', () => {
    const effective = effectivePolicy(new ManifestSet([onGateway, onRoute]), 'TokenRateLimitPolicy', bridge, gateway)!;
    expect([effective.policy.metadata.name, effective.level]).toEqual(['route-tokens', 'route']);
    expect(effective.displaced).toEqual(['TokenRateLimitPolicy openshift-ingress/gateway-tokens: replaced by the route-level policy']);
  });

  test('gateway-level overrides win over the route-level policy', () => {
    const overriding = tierLimits('gateway-tokens', { kind: 'Gateway', name: 'maas-default-gateway', namespace: 'openshift-ingress' }, { free: 1 }, 'overrides');
    expect(effectivePolicy(new ManifestSet([overriding, onRoute]), 'TokenRateLimitPolicy', bridge, gateway)?.policy.metadata.name).toBe('gateway-tokens');
  });

  test('a policy in another namespace than its target does not apply', () => {
    const elsewhere = { ...onRoute, metadata: { name: 'route-tokens', namespace: 'other' } };
    expect(effectivePolicy(new ManifestSet([elsewhere]), 'TokenRateLimitPolicy', bridge, gateway)).toBeUndefined();
  });
});
