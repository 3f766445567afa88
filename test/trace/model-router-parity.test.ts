import { runModelRouter, headerValues, RouterRequest } from '../lua/router-harness';
import { modelRoutersOf, routerDecision } from '../../lib/trace/model-router';
import { distSet } from './trace-helpers';

// The trace reads the router's tables back from the EnvoyFilter and re-implements
// its body reading; here both run on the same requests and must answer alike.
const set = distSet('unified-endpoint');
const [router] = modelRoutersOf(set, 'openshift-ingress', 'maas-default-gateway');
const KEYS: Array<[string, string]> = router.keyHeaders.map((h) => [h, `key-for-${h}`]);

const BODIES: Record<string, string | Buffer | undefined> = {
  'no body': undefined,
  empty: '',
  gpt: '{"model":"gpt-4"}',
  qwen: '  {"stream":true,"model":"Qwen/Qwen3-0.6B","n":1.5e3,"stream_options":{"include_usage":true}}  ',
  'stream without usage': '{"model":"gpt-4","stream":true}',
  'stream with usage false': '{"model":"gpt-4","stream":true,"stream_options":{"include_usage":false}}',
  'stream with usage, then usage false': '{"model":"gpt-4","stream":true,"stream_options":{"include_usage":true,"include_usage":false}}',
  'stream then no stream': '{"model":"gpt-4","stream":true,"stream":false}',
  'usage in another object': '{"model":"gpt-4","stream":true,"x":{"include_usage":true}}',
  'nested stream ignored': '{"model":"gpt-4","x":{"stream":true}}',
  'stream options replaced': '{"model":"gpt-4","stream":true,"stream_options":{"include_usage":true},"stream_options":{}}',
  'escaped model': '{"model":"claude-3-\\u0073onnet"}',
  nested: '{"messages":[{"model":"gpt-4"}],"model":"claude-3-sonnet","x":{"model":"nope"}}',
  'nested only': '{"messages":[{"model":"gpt-4"}]}',
  duplicate: '{"model":"gpt-4","x":1,"model":"gpt-4"}',
  'duplicate after garbage-free nested': '{"a":{"model":1},"model":"gpt-4"}',
  'number model': '{"model":4}',
  'null model': '{"model":null}',
  'unknown model': '{"model":"gpt-5"}',
  'not an object': '["gpt-4"]',
  truncated: '{"model":"gpt-4"',
  'trailing data': '{"model":"gpt-4"} x',
  'leading zero': '{"model":"gpt-4","n":01}',
  'lone surrogate': '{"model":"gpt-4","x":"\\ud800"}',
  'paired surrogate': '{"x":"\\ud83d\\ude00","model":"gpt-4"}',
  'control character': '{"model":"gpt-4","x":"a\u0001b"}',
  'invalid escape': '{"x":"\\q","model":"gpt-4"}',
  'model then garbage': '{"model":1 garbage',
  'nesting at the limit': `{"model":"gpt-4","x":${'['.repeat(998)}${']'.repeat(998)}}`,
  'deep nesting': `{"model":"gpt-4","x":${'['.repeat(1001)}${']'.repeat(1001)}}`,
  'invalid utf-8 model': Buffer.from([...Buffer.from('{"model":"'), 0xff, ...Buffer.from('"}')]),
};

const requests: Record<string, RouterRequest> = {};
for (const [name, body] of Object.entries(BODIES)) {
  requests[name] = { headers: [[':path', '/v1/chat/completions'], ['authorization', 'Bearer t'], ...KEYS], body };
  requests[`${name} (no keys)`] = { headers: [[':path', '/v1/chat/completions?x=1'], ['authorization', 'Bearer t']], body };
}

test.each(Object.keys(requests))('the trace answers like the generated Lua: %s', (name) => {
  const { outcomes } = runOnce();
  const lua = outcomes.get(name)!;
  const request = requests[name];
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const present = new Set(request.headers.map(([n]) => n));
  const decision = routerDecision(router, request.headers[0][1], body, (h) => present.has(h));
  if (lua.status !== undefined) {
    const error = JSON.parse(lua.responseBody!).error;
    expect(decision).toMatchObject({ handled: true, status: Number(lua.status), code: error.code });
  } else {
    expect(decision.handled && decision.status === undefined && decision.route.provider).toBe(headerValues(lua, router.providerHeader)[0]);
  }
});

let cached: ReturnType<typeof runModelRouter> | undefined;
function runOnce(): ReturnType<typeof runModelRouter> {
  const lua = set.all('networking.istio.io', 'EnvoyFilter').find((f: any) => f.metadata.name.endsWith('-model-router'))!.spec.configPatches[0].patch.value.typed_config.inline_code;
  cached ??= runModelRouter(lua, requests);
  return cached;
}

// Streams are counted only with usage: the generated Lua itself answers 400 without it, whatever the order of members.
test.each([
  ['stream without usage', 'stream_usage_required'],
  ['stream with usage false', 'stream_usage_required'],
  ['stream with usage, then usage false', 'stream_usage_required'],
  ['usage in another object', 'stream_usage_required'],
  ['stream options replaced', 'stream_usage_required'],
  ['qwen', undefined],
  ['stream then no stream', undefined],
  ['nested stream ignored', undefined],
])('the Lua: %s -> %s', (name, code) => {
  const lua = runOnce().outcomes.get(name)!;
  if (code === undefined) {
    expect(lua.status).toBeUndefined();
  } else {
    expect([lua.status, JSON.parse(lua.responseBody!).error.code]).toEqual(['400', code]);
  }
});
