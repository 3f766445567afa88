import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { luaString } from '../../lib/internal/lua';
import { LuaModelRoute, ModelRouterLuaOptions, renderHeaderGuardLua, renderModelRouterLua } from '../../lib/unified/model-router-lua';
import { runLuaJit, utf8 } from '../lua/luajit';
import { Header, headerValues, Outcome, runModelRouter } from '../lua/router-harness';

// Three providers, one per way of taking a key.
const TRICKY_MODEL = 'sim/"quoted"\\back]]slash:1.0';
const UNICODE_MODEL = 'ünï/😀';
const ROUTES: LuaModelRoute[] = [
  { model: 'gpt-4o', provider: 'openai', keyHeader: 'Authorization' },
  { model: 'gpt-4o-mini', provider: 'openai', keyHeader: 'Authorization' },
  { model: 'azure/gpt-4.1:2025', provider: 'azure', keyHeader: 'api-key' },
  { model: 'sim-1', provider: 'sim', keyHeader: 'X-Provider-Api-Key' },
  { model: 'a"b', provider: 'sim', keyHeader: 'X-Provider-Api-Key' },
  { model: TRICKY_MODEL, provider: 'sim', keyHeader: 'X-Provider-Api-Key' },
  { model: UNICODE_MODEL, provider: 'azure', keyHeader: 'api-key' },
];
const OPTIONS: ModelRouterLuaOptions = {
  paths: ['/v1/chat/completions', '/v1/completions'],
  routes: ROUTES,
  providerHeader: 'x-maas-egress-provider',
  internalKeyHeaderPrefix: 'x-maas-egress-key-',
};
const KEYS: Record<string, string> = {
  'x-maas-egress-key-openai': 'Bearer sk-openai-secret',
  'x-maas-egress-key-azure': 'azure-secret',
  'x-maas-egress-key-sim': 'sim-secret',
};
const INTERNAL = Object.keys(KEYS);
const MAAS_TOKEN = 'Bearer maas-user-token';

interface Case {
  readonly path?: string;
  /** Request body; undefined: no body at all. */
  readonly body?: string | Buffer;
  /** getBytes() throws, as a broken buffer would. */
  readonly broken?: boolean;
  /** Headers replacing the default ones (path, method, MaaS token, the three internal keys). */
  readonly headers?: Header[];
  /** Headers added to the default ones. */
  readonly extra?: Header[];
}

function defaultHeaders(p: string): Header[] {
  return [[':path', p], [':method', 'POST'], ['authorization', MAAS_TOKEN], ['content-type', 'application/json'],
    ...Object.entries(KEYS) as Header[]];
}

const body = (value: unknown) => JSON.stringify(value);
const chat = (model: unknown) => body({ model, messages: [{ role: 'user', content: 'hi' }] });

// A ~5 MB body: long message content full of escapes and decoy "model" members, the real model last.
function hugeBody(): string {
  const chunk = 'Lorem ipsum "model": "gpt-4o" \\ / \n\t dolor sit amet, é 😀 {"model":"x"} [1,2] ';
  const content = chunk.repeat(Math.ceil((5 * 1024 * 1024) / chunk.length));
  const messages = Array.from({ length: 4 }, (_, i) => ({ role: 'user', content: i === 0 ? content : 'short', model: 'gpt-4o' }));
  return body({ messages, temperature: 0.2, model: 'azure/gpt-4.1:2025' });
}

const LONG_UNKNOWN = `${'a'.repeat(255)}é${'b'.repeat(500)}`;

const CASES: Record<string, Case> = {
  'openai': { body: chat('gpt-4o') },
  'azure': { body: chat('azure/gpt-4.1:2025') },
  'sim': { body: chat('sim-1') },
  'forged copies': {
    body: chat('azure/gpt-4.1:2025'),
    extra: [['x-maas-egress-provider', 'openai'], ['X-Maas-Egress-Provider', 'sim'], ['api-key', 'forged'], ['API-Key', 'forged2']],
  },
  'two authorization headers': { body: chat('gpt-4o'), extra: [['Authorization', 'Bearer forged']] },
  'whitespace': { body: ' \r\n\t{\n  "messages" : [ ] ,\r\n\t"model"\t:\n "gpt-4o" \n}\n\t ' },
  'escaped quote': { body: '{"model":"a\\"b"}' },
  'tricky id': { body: chat(TRICKY_MODEL) },
  'u escapes': { body: '{"mod\\u0065l":"\\u00fcn\\u00EF\\/\\ud83d\\ude00"}' },
  'slash escape': { body: '{"model":"azure\\/gpt-4.1:2025"}' },
  'model in messages first': {
    body: '{"messages":[{"role":"user","content":"{\\"model\\":\\"gpt-4o\\"}","model":"gpt-4o"}],"model":"sim-1"}',
  },
  'nested model key': { body: '{"metadata":{"model":"gpt-4o","x":{"model":"gpt-4o"}},"model":"sim-1","tools":[{"model":"gpt-4o"}]}' },
  'only nested model': { body: '{"metadata":{"model":"gpt-4o"},"messages":[{"model":"gpt-4o"}]}' },
  'scalars and empties': { body: '{"a":{},"b":[],"c":[[]],"t":-0.5e+2,"n":0,"m":-0,"u":1e-7,"v":[-12.5E10,0.0],"x":1E3,"y":12.25,"s":true,"f":false,"z":null,"e":"","model":"gpt-4o"}' },
  'model number': { body: '{"model":4,"messages":[]}' },
  'model null': { body: '{"model":null}' },
  'model object': { body: '{"model":{"id":"gpt-4o"}}' },
  'no body': {},
  'empty body': { body: '' },
  'whitespace body': { body: ' \n ' },
  'unterminated object': { body: '{"model":"gpt-4o"' },
  'unterminated string': { body: '{"model":"gpt-4o}' },
  'array at top': { body: '[{"model":"gpt-4o"}]' },
  'string at top': { body: '"model"' },
  'trailing comma': { body: '{"model":"gpt-4o",}' },
  'leading zero': { body: '{"model":"gpt-4o","n":01}' },
  'bare minus': { body: '{"model":"gpt-4o","n":-}' },
  'bad fraction': { body: '{"model":"gpt-4o","n":1.}' },
  'bad exponent': { body: '{"model":"gpt-4o","n":1e+}' },
  'mismatched brackets': { body: '{"model":"gpt-4o","a":[1,2}' },
  'missing colon': { body: '{"model" "gpt-4o"}' },
  'unquoted key': { body: '{model:"gpt-4o"}' },
  'bad literal': { body: '{"model":"gpt-4o","s":tru}' },
  'raw control character': { body: '{"model":"gpt-4o","c":"a\u0001b"}' },
  'invalid escape': { body: '{"model":"gpt-4o","c":"\\x41"}' },
  'short u escape': { body: '{"model":"gpt-4o","c":"\\u12"}' },
  'lone surrogate': { body: '{"model":"\\ud83d"}' },
  'trailing garbage': { body: '{"model":"gpt-4o"} x' },
  'second document': { body: '{"model":"gpt-4o"}{}' },
  'duplicate model': { body: '{"model":"gpt-4o","messages":[],"model":"sim-1"}' },
  'duplicate via escape': { body: '{"model":"gpt-4o","mod\\u0065l":"gpt-4o"}' },
  'unknown model': { body: chat('no/such"model\\\n😀') },
  'empty model': { body: chat('') },
  'long unknown model': { body: chat(LONG_UNKNOWN) },
  'invalid utf-8 model': { body: Buffer.concat([Buffer.from('{"model":"bad'), Buffer.from([0xff, 0xc3]), Buffer.from('x"}')]) },
  'missing key': { body: chat('sim-1'), headers: defaultHeaders('/v1/chat/completions').filter(([name]) => name !== 'x-maas-egress-key-sim') },
  'empty key': { body: chat('gpt-4o'), headers: [...defaultHeaders('/v1/chat/completions').filter(([name]) => name !== 'x-maas-egress-key-openai'), ['x-maas-egress-key-openai', '']] },
  'other path': { path: '/v1/models', body: chat('gpt-4o'), extra: [['X-Maas-Egress-Provider', 'openai'], ['x-maas-egress-key-openai', 'forged']] },
  'longer path': { path: '/v1/chat/completions/x', body: chat('gpt-4o') },
  'query string': { path: '/v1/chat/completions?api-version=1&model=sim-1', body: chat('gpt-4o') },
  'completions path': { path: '/v1/completions', body: body({ model: 'sim-1', prompt: 'hi' }) },
  'huge body': { body: hugeBody() },
  'deep nesting ok': { body: `{"a":${'['.repeat(998)}${']'.repeat(998)},"model":"gpt-4o"}` },
  'too deep': { body: `{"a":${'['.repeat(200000)}` },
  'broken buffer': { body: chat('gpt-4o'), broken: true },
};

let globals: string[];
let outcomes: Map<string, Outcome>;

beforeAll(() => {
  const requests = Object.fromEntries(Object.entries(CASES).map(([name, c]) => [name, {
    headers: [...(c.headers ?? defaultHeaders(c.path ?? '/v1/chat/completions')), ...(c.extra ?? [])],
    body: c.body,
    broken: c.broken,
  }]));
  ({ outcomes, globals } = runModelRouter(renderModelRouterLua(OPTIONS), requests));
});

function outcome(name: string): Outcome {
  const found = outcomes.get(name);
  if (!found) throw new Error(`no outcome for case ${name}`);
  if (found.error) throw new Error(`case ${name}: the script raised ${found.error}`);
  return found;
}

const values = headerValues;

function expectForwarded(name: string, provider: string, keyHeader: string, key: string): Outcome {
  const o = outcome(name);
  expect(o.status).toBeUndefined();
  expect(values(o, 'x-maas-egress-provider')).toEqual([provider]);
  expect(values(o, keyHeader)).toEqual([key]);
  for (const internal of INTERNAL) expect(values(o, internal)).toEqual([]);
  if (keyHeader !== 'authorization') expect(values(o, 'authorization')).toEqual([]);
  return o;
}

interface ErrorBody { error: { message: string; type: string; code: string } }

function expectRejected(name: string, status: string, code: string): ErrorBody['error'] {
  const o = outcome(name);
  expect(o.status).toBe(status);
  expect(o.responseHeaders).toEqual({ ':status': status, 'content-type': 'application/json' });
  const parsed = JSON.parse(utf8(o.responseBody!)) as ErrorBody;
  expect(Object.keys(parsed.error).sort()).toEqual(['code', 'message', 'type']);
  expect(parsed.error.code).toBe(code);
  expect(parsed.error.type).toBe(status === '400' ? 'invalid_request_error' : 'server_error');
  for (const secret of Object.values(KEYS)) expect(o.responseBody).not.toContain(secret);
  return parsed.error;
}

describe('generated model router in LuaJIT', () => {
  test('defines only envoy_on_request and never raises', () => {
    expect(globals).toEqual(['envoy_on_request']);
    expect([...outcomes.keys()].sort()).toEqual(Object.keys(CASES).sort());
    for (const o of outcomes.values()) expect(o.error).toBeUndefined();
  });

  test('a bearer provider gets its key in Authorization instead of the MaaS token', () => {
    expectForwarded('openai', 'openai', 'authorization', 'Bearer sk-openai-secret');
  });

  test('providers with their own key header get it there, and the MaaS token is removed', () => {
    expectForwarded('azure', 'azure', 'api-key', 'azure-secret');
    expectForwarded('sim', 'sim', 'x-provider-api-key', 'sim-secret');
  });

  test('client copies of the routing and key headers are replaced, every copy', () => {
    expectForwarded('forged copies', 'azure', 'api-key', 'azure-secret');
    expectForwarded('two authorization headers', 'openai', 'authorization', 'Bearer sk-openai-secret');
  });

  test('JSON syntax variations find the same model', () => {
    expectForwarded('whitespace', 'openai', 'authorization', 'Bearer sk-openai-secret');
    expectForwarded('escaped quote', 'sim', 'x-provider-api-key', 'sim-secret');
    expectForwarded('tricky id', 'sim', 'x-provider-api-key', 'sim-secret');
    expectForwarded('u escapes', 'azure', 'api-key', 'azure-secret');
    expectForwarded('slash escape', 'azure', 'api-key', 'azure-secret');
    expectForwarded('scalars and empties', 'openai', 'authorization', 'Bearer sk-openai-secret');
    expectForwarded('deep nesting ok', 'openai', 'authorization', 'Bearer sk-openai-secret');
  });

  test('only the top-level model counts', () => {
    expectForwarded('model in messages first', 'sim', 'x-provider-api-key', 'sim-secret');
    expectForwarded('nested model key', 'sim', 'x-provider-api-key', 'sim-secret');
    expect(expectRejected('only nested model', '400', 'missing_model').message).toBe('the request body has no top-level "model"');
  });

  test('a 5 MB body with decoys and the model at the end is routed', () => {
    expectForwarded('huge body', 'azure', 'api-key', 'azure-secret');
  });

  test('a model that is not a string is rejected', () => {
    for (const name of ['model number', 'model null', 'model object']) {
      expect(expectRejected(name, '400', 'invalid_model').message).toBe('"model" must be a string');
    }
  });

  test('a missing or empty body is rejected', () => {
    expectRejected('no body', '400', 'missing_body');
    expectRejected('empty body', '400', 'missing_body');
    expect(expectRejected('whitespace body', '400', 'invalid_json').message).toBe('the request body must be a JSON object');
  });

  test.each([
    ['unterminated object', 'unexpected end at byte offset 17'],
    ['unterminated string', 'unterminated string at byte offset 9'],
    ['trailing comma', 'expected a member name at byte offset 18'],
    ['leading zero', 'unexpected character at byte offset 22'],
    ['bare minus', 'unexpected character at byte offset 22'],
    ['bad fraction', 'unexpected character at byte offset 22'],
    ['bad exponent', 'unexpected character at byte offset 22'],
    ['mismatched brackets', 'expected \',\' or a closing bracket at byte offset 26'],
    ['missing colon', 'expected \':\' at byte offset 9'],
    ['unquoted key', 'expected a member name at byte offset 1'],
    ['bad literal', 'unexpected character at byte offset 22'],
    ['raw control character', 'control character in a string at byte offset 22'],
    ['invalid escape', 'invalid escape in a string at byte offset 22'],
    ['short u escape', 'invalid escape in a string at byte offset 22'],
    ['lone surrogate', 'unpaired surrogate in a \\u escape at byte offset 9'],
    ['trailing garbage', 'unexpected data after the JSON object at byte offset 19'],
    ['second document', 'unexpected data after the JSON object at byte offset 18'],
    ['too deep', 'nesting deeper than 1000 levels at byte offset 1004'],
  ])('invalid JSON: %s', (name, why) => {
    expect(expectRejected(name, '400', 'invalid_json').message).toBe(`the request body is not valid JSON: ${why}`);
  });

  test('a body that is not an object is rejected', () => {
    for (const name of ['array at top', 'string at top']) {
      expect(expectRejected(name, '400', 'invalid_json').message).toBe('the request body must be a JSON object');
    }
  });

  test('two top-level models are ambiguous and rejected', () => {
    for (const name of ['duplicate model', 'duplicate via escape']) {
      expect(expectRejected(name, '400', 'duplicate_model').message).toBe('the request body has more than one top-level "model"');
    }
  });

  test('an unknown model is rejected with its id quoted back as valid JSON', () => {
    expect(expectRejected('unknown model', '400', 'model_not_found').message)
      .toBe('the model "no/such"model\\\n😀" does not exist on this endpoint');
    expect(expectRejected('empty model', '400', 'model_not_found').message).toBe('the model "" does not exist on this endpoint');
    expect(expectRejected('invalid utf-8 model', '400', 'model_not_found').message)
      .toBe('the model "bad\ufffd\ufffdx" does not exist on this endpoint');
  });

  test('a long model id is cut at 256 bytes between characters', () => {
    expect(expectRejected('long unknown model', '400', 'model_not_found').message)
      .toBe(`the model "${'a'.repeat(255)}..." does not exist on this endpoint`);
  });

  test('a provider key missing from the internal header answers 503', () => {
    expect(expectRejected('missing key', '503', 'provider_key_unavailable').message)
      .toBe('no provider key is available for the model "sim-1"; try again later');
    expectRejected('empty key', '503', 'provider_key_unavailable');
  });

  test('other paths pass untouched except for forged internal headers', () => {
    for (const name of ['other path', 'longer path']) {
      const o = outcome(name);
      expect(o.status).toBeUndefined();
      expect(o.bodyCalls).toBe(0);
      expect(values(o, 'x-maas-egress-provider')).toEqual([]);
      for (const internal of INTERNAL) expect(values(o, internal)).toEqual([]);
      expect(values(o, 'authorization')).toEqual([MAAS_TOKEN]);
    }
  });

  test('handled paths match without their query string', () => {
    expectForwarded('query string', 'openai', 'authorization', 'Bearer sk-openai-secret');
    expectForwarded('completions path', 'sim', 'x-provider-api-key', 'sim-secret');
  });

  test('a script error answers 500 instead of forwarding unrouted', () => {
    const error = expectRejected('broken buffer', '500', 'internal_error');
    expect(error.message).toBe('the gateway could not route this request');
    expect(outcome('broken buffer').logs.some((line) => line.startsWith('err: model router:'))).toBe(true);
  });
});

describe('generated header guard in LuaJIT', () => {
  test('removes every client-sent routing and internal key header, on every path, and nothing else', () => {
    const headers: Header[] = [[':path', '/external/openai/v1/models'], ['authorization', 'Bearer t'], ['X-MaaS-Egress-Provider', 'openai'],
      ['x-maas-egress-key-openai', 'a'], ['x-maas-egress-key-openai', 'b'], ['x-maas-egress-key-azure', 'c'], ['api-key', 'client']];
    const { outcomes } = runModelRouter(renderHeaderGuardLua(OPTIONS), {
      other: { headers },
      unified: { headers: [[':path', '/v1/chat/completions'], ...headers.slice(1)], body: '{"model":"gpt-4o"}' },
    });
    for (const outcome of outcomes.values()) {
      expect(outcome.error).toBeUndefined();
      expect(outcome.bodyCalls).toBe(0);
      expect(outcome.headers.filter(([name]) => name.startsWith('x-maas-egress-'))).toEqual([]);
      expect(headerValues(outcome, 'authorization')).toEqual(['Bearer t']);
      expect(headerValues(outcome, 'api-key')).toEqual(['client']);
    }
  });
});

describe('luaString', () => {
  const samples = ['', 'plain', 'a"b', 'back\\slash', ']]', ']==]', '[[x]]', "it's", '\n\r\t\0\x07\x7f', 'é😀', '--[[ x', 'a\\"b\\\\'];

  test('round-trips through LuaJIT byte for byte', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lua-string-')), 'strings.lua');
    const program = `for _, s in ipairs({ ${samples.map(luaString).join(', ')} }) do
  io.write((s:gsub(".", function(c) return string.format("%02x", c:byte()) end)), "\\n")
end\n`;
    fs.writeFileSync(file, program);
    const lines = runLuaJit([file]).split('\n').slice(0, -1);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    expect(lines).toEqual(samples.map((s) => Buffer.from(s, 'utf8').toString('hex')));
  });

  test('is one line of printable ASCII', () => {
    for (const s of samples) expect(luaString(s)).toMatch(/^"[\x20-\x7e]*"$/);
    expect(luaString('a"\\\n1')).toBe('"a\\"\\\\\\0101"');
  });

  test('rejects a lone surrogate', () => {
    expect(() => luaString('x\ud800')).toThrow('luaString: "x\\ud800" is not well-formed Unicode');
  });
});

describe('renderModelRouterLua input', () => {
  const route = (over: Partial<LuaModelRoute>): LuaModelRoute => ({ model: 'm', provider: 'p', keyHeader: 'Authorization', ...over });
  const render = (over: Partial<ModelRouterLuaOptions>) => () => renderModelRouterLua({ ...OPTIONS, ...over });

  test.each<[string, Partial<ModelRouterLuaOptions>, string]>([
    ['no routes', { routes: [] }, 'invalid routes []: give at least one model route'],
    ['no paths', { paths: [] }, 'invalid paths []: give at least one request path'],
    ['relative path', { paths: ['v1/chat/completions'] }, 'invalid path "v1/chat/completions": use an absolute request path'],
    ['path with query', { paths: ['/v1/x?y=1'] }, 'invalid path "/v1/x?y=1"'],
    ['duplicate path', { paths: ['/a', '/a'] }, 'invalid path "/a": each path may appear only once'],
    ['duplicate model', { routes: [route({}), route({ provider: 'q' })] }, 'invalid model id "m": each model may appear only once'],
    ['empty model', { routes: [route({ model: '' })] }, 'invalid model id "": give the non-empty id'],
    ['lone surrogate model', { routes: [route({ model: 'x\udc00' })] }, 'lone UTF-16 surrogate'],
    ['provider not a label', { routes: [route({ provider: 'Open_AI' })] }, 'invalid provider of model "m" "Open_AI": use a DNS-1123 label'],
    ['key header with a space', { routes: [route({ keyHeader: 'api key' })] }, 'invalid key header of model "m" "api key": use an HTTP header name'],
    ['key header Host', { routes: [route({ keyHeader: 'Host' })] }, 'invalid key header of model "m" "Host": a provider key cannot travel in this header'],
    ['two key headers for one provider', { routes: [route({}), route({ model: 'n', keyHeader: 'api-key' })] },
      'invalid key header of model "n" "api-key": provider "p" already takes its key in "authorization"'],
    ['provider header not a token', { providerHeader: 'x:provider' }, 'invalid provider header "x:provider": use an HTTP header name'],
    ['provider header is authorization', { providerHeader: 'Authorization' }, 'invalid provider header "Authorization": it must differ'],
    ['provider header is a key header', { providerHeader: 'X-Maas-Egress-Key-Openai' }, 'invalid provider header "X-Maas-Egress-Key-Openai": it must differ'],
    ['key header is the provider header', { routes: [route({ keyHeader: 'X-Maas-Egress-Provider' })] },
      'invalid key header of model "m" "x-maas-egress-provider": it must differ'],
    ['key header is an internal one', { routes: [route({ keyHeader: 'x-maas-egress-key-p' })] },
      'invalid key header of model "m" "x-maas-egress-key-p": it must differ'],
    ['empty prefix', { internalKeyHeaderPrefix: '' }, 'invalid internal key header prefix "": give a header name prefix'],
    ['prefix not a token', { internalKeyHeaderPrefix: 'x/key-' }, 'invalid internal key header prefix "x/key-": use an HTTP header name'],
  ])('rejects %s', (_, over, message) => {
    expect(render(over)).toThrow(message);
  });

  test('the output does not depend on the input order', () => {
    const reordered = renderModelRouterLua({ ...OPTIONS, paths: [...OPTIONS.paths].reverse(), routes: [...ROUTES].reverse() });
    expect(reordered).toBe(renderModelRouterLua(OPTIONS));
  });

  test('header names are lower-cased and model ids appear only as escaped literals', () => {
    const lua = renderModelRouterLua(OPTIONS);
    expect(lua).toContain('[' + luaString(TRICKY_MODEL) + '] = { provider = "sim", key_from = "x-maas-egress-key-sim", key_to = "x-provider-api-key" },');
    expect(lua).not.toContain(TRICKY_MODEL);
    expect(lua).not.toContain('X-Provider-Api-Key');
    expect(lua).toMatch(/^[\x20-\x7e\n]*$/);
  });

  test('rendered source (for review)', () => {
    expect(renderModelRouterLua(OPTIONS)).toMatchSnapshot();
  });
});
