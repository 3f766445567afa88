import {
  BackendTls,
  BudgetTarget,
  EgressDataPlane,
  KeyHeader,
  MaasEgressGateway,
  ProviderCredential,
  ProviderEndpoint,
  ProviderSimulator,
  TierTokenBudget,
  WgAiGatewayController,
} from '../../lib';
import { newChart } from '../helpers';

// Each case builds real bad input and asserts the whole shape of the message:
// construct path, the bad value, and the fix.

const key = ProviderCredential.demoLiteral('k');
function setup() {
  const { chart } = newChart();
  const gateway = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway() });
  const add = (id: string, overrides: Record<string, unknown> = {}) => gateway.addProvider(id, { unsafeAllowKeyOverPlainHttp: true,
    endpoint: ProviderEndpoint.vllm({ hostname: `${id}.example.com` }),
    credential: key,
    models: [`${id}-model`],
    ...overrides,
  } as any);
  return { chart, gateway, add };
}
const endpoint = (props: Record<string, unknown>) => () => setup().add('p', { endpoint: ProviderEndpoint.custom({ hostname: 'ok.example.com', ...props } as any) });

const cases: Array<[string, () => unknown, RegExp]> = [
  ['provider name with upper case', () => setup().add('OpenAI'), /^\[test\/egress\/OpenAI\] invalid provider name "OpenAI": use a DNS-1123 label/],
  ['provider name too long', () => setup().add('p'.repeat(64)), /invalid provider name "p{64}": use a DNS-1123 label: at most 63 characters/],
  ['gateway name with underscore', () => new MaasEgressGateway(newChart().chart, 'g', { name: 'my_gw' }), /^\[test\/g\] invalid gateway name "my_gw": use a DNS-1123 label/],
  ['invalid gateway namespace', () => new MaasEgressGateway(newChart().chart, 'g', { namespace: 'Team A' }), /^\[test\/g\] invalid gateway namespace "Team A": use a DNS-1123 label/],
  ['invalid bridge namespace', () => setup().add('p', { bridgeNamespace: '-x' }), /^\[test\/egress\/p\] invalid bridge namespace "-x"/],
  ['duplicate provider name', () => { const s = setup(); s.add('a'); s.gateway.addProvider('a2', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'b.example.com' }), credential: key, models: ['x'], name: 'a' }); },
    /^\[test\/egress\/a2\] invalid provider name "a": test\/egress\/a already uses it on this gateway; give every provider its own name/],
  ['same model on two providers', () => { const s = setup(); s.add('a', { models: ['gpt-4'] }); s.add('b', { models: ['gpt-4'] }); },
    /^\[test\/egress\/b\] invalid model id "gpt-4": provider "a" already serves it in the MaaS model listing \(opendatahub\/external-model-registry\); give each model id to one provider/],
  ['same model twice in one provider', () => setup().add('a', { models: ['m', 'm'] }), /^\[test\/egress\/a\] invalid model id "m": each entry may appear only once/],
  ['model list that is not a list', () => setup().add('a', { models: 'gpt-4' }), /invalid model list "gpt-4": give models: \[...\] with the model ids the provider serves/],
  ['hostname with scheme', endpoint({ hostname: 'https://api.openai.com' }), /^\[test\/egress\/p\] invalid provider hostname "https:\/\/api.openai.com": it contains a URL scheme; give a bare DNS name/],
  ['hostname with path', endpoint({ hostname: 'api.openai.com/v1' }), /invalid provider hostname "api.openai.com\/v1": it contains a path/],
  ['hostname with port', endpoint({ hostname: 'api.openai.com:443' }), /invalid provider hostname "api.openai.com:443": it contains a port \(set the port separately\)/],
  ['hostname with upper case', endpoint({ hostname: 'API.openai.com' }), /invalid provider hostname "API.openai.com": it contains upper-case letters/],
  ['hostname with space', endpoint({ hostname: 'api openai.com' }), /invalid provider hostname "api openai.com": it contains white space/],
  ['port 0', endpoint({ port: 0 }), /^\[test\/egress\/p\] invalid provider port 0: use a whole number from 1 to 65535/],
  ['port 70000', endpoint({ port: 70000 }), /invalid provider port 70000: use a whole number from 1 to 65535/],
  ['gateway port 1.5', () => new MaasEgressGateway(newChart().chart, 'g', { dataPlane: EgressDataPlane.wgAiGateway({ port: 1.5 }) }), /invalid wg-ai-gateway listener port 1.5: use a whole number from 1 to 65535/],
  ['wg-ai-gateway port 80', () => new MaasEgressGateway(newChart().chart, 'g', { dataPlane: EgressDataPlane.wgAiGateway({ port: 80 }) }),
    /^\[test\/g\] invalid wg-ai-gateway listener port 80: the prototype deploys its Envoy without NET_BIND_SERVICE .* use 1024 or above \(default 8080\)/],
  ['base path without trailing slash', endpoint({ apiBasePath: '/v1' }), /invalid provider API base path "\/v1": use a path that starts and ends with "\/"/],
  ['path prefix without leading slash', () => new MaasEgressGateway(newChart().chart, 'g', { pathPrefix: 'external/' }), /^\[test\/g\] invalid path prefix "external\/": use a path that starts and ends with "\/"/],
  ['header name with colon', endpoint({ keyHeader: KeyHeader.plain('X-Key:') }), /^\[test\/egress\/p\] invalid key header name "X-Key:": use an HTTP header name/],
  ['header name with space', endpoint({ keyHeader: KeyHeader.withPrefix('Api Key', 'Token ') }), /invalid key header name "Api Key"/],
  ['token limit 0', () => { const s = setup(); new TierTokenBudget(s.chart, 'b', { target: BudgetTarget.providers(s.add('a')), limits: [{ tier: 'free', tokens: 0 }] }); },
    /^\[test\/b\] invalid token limit of tier "free" 0: use a positive whole number/],
  ['token limit 2.5', () => { const s = setup(); new TierTokenBudget(s.chart, 'b', { target: BudgetTarget.providers(s.add('a')), limits: [{ tier: 'free', tokens: 2.5 }] }); },
    /invalid token limit of tier "free" 2.5: use a positive whole number/],
  ['window "1 minute"', () => { const s = setup(); new TierTokenBudget(s.chart, 'b', { target: BudgetTarget.providers(s.add('a')), limits: [{ tier: 'free', tokens: 5, window: '1 minute' }] }); },
    /^\[test\/b\] invalid window of tier "free" "1 minute": use a Kuadrant duration such as "30s", "1m", "2h" or "1h30m"/],
  ['window "60"', () => { const s = setup(); new TierTokenBudget(s.chart, 'b', { target: BudgetTarget.providers(s.add('a')), limits: [{ tier: 'free', tokens: 5, window: '60' }] }); },
    /invalid window of tier "free" "60": use a Kuadrant duration/],
  ['tier name with space', () => { const s = setup(); new TierTokenBudget(s.chart, 'b', { target: BudgetTarget.providers(s.add('a')), limits: [{ tier: 'gold tier', tokens: 5 }] }); },
    /invalid tier name "gold tier": use a DNS-1123 label/],
  ['two budgets on one route', () => {
    const s = setup();
    const a = s.add('a');
    new TierTokenBudget(s.chart, 'b1', { target: BudgetTarget.providers(a), limits: [{ tier: 'free', tokens: 5 }] });
    new TierTokenBudget(s.chart, 'b2', { target: BudgetTarget.allProviders(s.gateway), limits: [{ tier: 'free', tokens: 9 }] });
  }, /^\[test\/b2\] invalid budget target "HTTPRoute\/maas-egress\/a-bridge": test\/b1 already budgets it; Kuadrant enforces one token policy per route/],
  ['one tier twice in a budget', () => { const s = setup(); new TierTokenBudget(s.chart, 'b', { target: BudgetTarget.providers(s.add('a')), limits: [{ tier: 'free', tokens: 5 }, { tier: 'free', tokens: 6 }] }); },
    /^\[test\/b\] invalid tier "free": give each tier one limit in a budget/],
  ['empty demo key', () => setup().add('a', { credential: ProviderCredential.demoLiteral('') }), /^\[test\/egress\/a\] invalid demo credential "": give a non-empty single-line string/],
  ['floating controller image', () => new WgAiGatewayController(newChart().chart, 'c', { image: 'ghcr.io/x/ctl:latest' }),
    /^\[test\/c\] invalid controller image "ghcr.io\/x\/ctl:latest": pin the image by a fixed tag/],
  ['floating Envoy image', () => new WgAiGatewayController(newChart().chart, 'c', { envoyImage: 'envoyproxy/envoy:v1.37-latest' }), /invalid Envoy image "envoyproxy\/envoy:v1.37-latest": pin the image/],
  ['untagged Envoy image', () => new WgAiGatewayController(newChart().chart, 'c', { envoyImage: 'envoyproxy/envoy' }), /invalid Envoy image "envoyproxy\/envoy": pin the image/],
  ['TLS on a protocol that cannot carry it', endpoint({ protocol: 'TCP', tls: BackendTls.verified({ caBundleSecret: 'ca' }) }),
    /^\[test\/egress\/p\] invalid protocol for TLS "TCP": TLS origination needs protocol HTTP or HTTP2/],
  ['TLS with an invalid CA bundle Secret name', endpoint({ tls: BackendTls.verified({ caBundleSecret: 'My CA' }) }), /invalid CA bundle Secret name "My CA"/],
  ['request timeout "5 minutes"', () => setup().add('a', { requestTimeout: '5 minutes' }), /^\[test\/egress\/a\] invalid request timeout "5 minutes": use a Gateway API duration/],
  ['simulator with a non-demo key', () => new ProviderSimulator(newChart().chart, 's', { model: 'm', apiKey: { isDemo: false, bind: () => ({}) } as any }),
    /^\[test\/s\] invalid simulator key "\(secret-backed credential\)": a simulator takes its key as a command-line argument; give ProviderCredential.demoLiteral/],
];

describe('input validation', () => {
  test.each(cases)('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('valid input passes', () => {
    expect(() => setup().add('ok')).not.toThrow();
  });

  test('a provider with an empty model list and no shared model fails at synth (tier-based: no shared models at all)', () => {
    const { chart, gateway } = setup();
    gateway.addProvider('idle', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'idle.example.com' }), credential: key, models: [] });
    expect(errorsOf(chart)).toEqual(['test/egress/idle: provider "idle" serves no model; list its models, or route a model to it with gateway.addModel(...)']);
  });
});

function errorsOf(chart: import('cdk8s').Chart): string[] {
  return chart.node.findAll().flatMap((c) => c.node.validate());
}

// The edges of each rule: the last value accepted and the first rejected.
describe('input boundaries', () => {
  test.each([1, 65535])('provider port %d is accepted', (port) => {
    expect(endpoint({ port })).not.toThrow();
  });

  test.each([0, 65536, 80.5, -1])('provider port %d is rejected', (port) => {
    expect(endpoint({ port })).toThrow(`[test/egress/p] invalid provider port ${port}: use a whole number from 1 to 65535`);
  });

  test.each([1, 65535])('simulator port %d is accepted', (port) => {
    expect(() => new ProviderSimulator(newChart().chart, 's', { model: 'm', apiKey: key, port })).not.toThrow();
  });

  test.each([0, 65536])('simulator port %d is rejected', (port) => {
    expect(() => new ProviderSimulator(newChart().chart, 's', { model: 'm', apiKey: key, port }))
      .toThrow(`[test/s] invalid simulator port ${port}: use a whole number from 1 to 65535`);
  });

  const label = 'use a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit';
  test.each([
    ['provider name', () => setup().add('openai-'), '[test/egress/openai-] invalid provider name "openai-"'],
    ['gateway name', () => new MaasEgressGateway(newChart().chart, 'g', { name: 'egress-' }), '[test/g] invalid gateway name "egress-"'],
    ['gateway namespace', () => new MaasEgressGateway(newChart().chart, 'g', { namespace: 'maas-egress-' }), '[test/g] invalid gateway namespace "maas-egress-"'],
    ['budget name', () => new TierTokenBudget(newChart().chart, 'b', { name: 'tokens-', target: BudgetTarget.providers(setup().add('a')) }), '[test/b] invalid budget name "tokens-"'],
    ['tier name', () => new TierTokenBudget(newChart().chart, 'b', { target: BudgetTarget.providers(setup().add('a')), limits: [{ tier: 'free-', tokens: 1 }] }), '[test/b] invalid tier name "free-"'],
    ['simulator name', () => new ProviderSimulator(newChart().chart, 's', { name: 'sim-', model: 'm', apiKey: key }), '[test/s] invalid simulator name "sim-"'],
  ])('a %s with a trailing "-" is rejected', (_what, build, start) => {
    expect(build).toThrow(`${start}: ${label}`);
  });

  test('a 63-character name is accepted, 64 rejected', () => {
    expect(() => setup().add('a'.repeat(63))).not.toThrow();
    expect(() => setup().add('a'.repeat(64))).toThrow(`invalid provider name "${'a'.repeat(64)}": ${label}`);
  });

  const slashed = 'use a path that starts and ends with "/" (for example "/external/"), without spaces or "//"';
  test.each(['/external//', '//external/', '/ext//ernal/'])('a path prefix %j with "//" is rejected', (pathPrefix) => {
    expect(() => new MaasEgressGateway(newChart().chart, 'g', { pathPrefix }))
      .toThrow(`[test/g] invalid path prefix ${JSON.stringify(pathPrefix)}: ${slashed}`);
  });

  test.each(['/v1//', '//v1/', '/openai//v1/'])('an API base path %j with "//" is rejected', (apiBasePath) => {
    expect(endpoint({ apiBasePath })).toThrow(`[test/egress/p] invalid provider API base path ${JSON.stringify(apiBasePath)}: ${slashed}`);
  });

  test.each(['/', '/openai/v1/'])('an API base path %j is accepted', (apiBasePath) => {
    expect(endpoint({ apiBasePath })).not.toThrow();
  });

  test.each([' gpt-4o', 'gpt-4o ', '\tgpt-4o', 'gpt-4o\n', ''])('a model id %j with surrounding white space (or empty) is rejected', (model) => {
    expect(() => setup().add('a', { models: [model] }))
      .toThrow(`[test/egress/a] invalid model id ${JSON.stringify(model)}: give a non-empty model id without surrounding white space`);
  });

  test('a model id with inner spaces or slashes is accepted (ids are opaque to the gateway)', () => {
    expect(() => setup().add('a', { models: ['Qwen/Qwen3 0.6B'] })).not.toThrow();
  });
});
