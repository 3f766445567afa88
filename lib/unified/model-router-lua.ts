import { isDnsLabel, isHeaderName } from '../internal/checks';
import { luaString } from '../internal/lua';

/** One model of the unified endpoint and where its requests go. */
export interface LuaModelRoute {
  /** Model id exactly as clients send it in the body's `model`. */
  readonly model: string;
  /** Provider name (a DNS label): the value of the routing header. */
  readonly provider: string;
  /** Header the provider reads its key from, e.g. `Authorization`, `api-key`, `X-Provider-Api-Key`. */
  readonly keyHeader: string;
}

/** Input of {@link renderModelRouterLua}. */
export interface ModelRouterLuaOptions {
  /** Exact request paths (query string aside) handled, e.g. `/v1/chat/completions`. */
  readonly paths: readonly string[];
  /** Every routable model. */
  readonly routes: readonly LuaModelRoute[];
  /** Header set for the egress gateway with the chosen provider, e.g. `x-maas-egress-provider`. */
  readonly providerHeader: string;
  /** Provider P's key value arrives in the internal header `${prefix}${P}`, e.g. `x-maas-egress-key-`. */
  readonly internalKeyHeaderPrefix: string;
}

// Replacing these would break the request itself rather than carry a key.
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'te', 'upgrade']);

function invalid(what: string, value: unknown, fix: string): Error {
  return new Error(`[model router Lua] invalid ${what} ${JSON.stringify(value)}: ${fix}`);
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkHeader(what: string, value: string): string {
  if (!isHeaderName(value)) {
    throw invalid(what, value, 'use an HTTP header name (RFC 9110 token: letters, digits and !#$%&\'*+-.^_`|~)');
  }
  return value.toLowerCase();
}

function checkPath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/') || /[\s?#\x00-\x1f\x7f]/.test(path)) {
    throw invalid('path', path, 'use an absolute request path such as "/v1/chat/completions", without query, fragment or spaces');
  }
  return path;
}

interface CheckedRoute {
  readonly model: string;
  readonly provider: string;
  /** Lower-case internal header carrying the provider's key. */
  readonly keyFrom: string;
  /** Lower-case header the provider reads its key from. */
  readonly keyTo: string;
}

interface CheckedOptions {
  readonly paths: readonly string[];
  readonly routes: readonly CheckedRoute[];
  readonly providerHeader: string;
  readonly keyHeaders: readonly string[];
}

function checkOptions(options: ModelRouterLuaOptions): CheckedOptions {
  if (!Array.isArray(options.paths) || options.paths.length === 0) {
    throw invalid('paths', options.paths ?? [], 'give at least one request path');
  }
  const paths = options.paths.map(checkPath);
  const duplicatePath = paths.find((path, index) => paths.indexOf(path) !== index);
  if (duplicatePath !== undefined) throw invalid('path', duplicatePath, 'each path may appear only once');

  if (!Array.isArray(options.routes) || options.routes.length === 0) {
    throw invalid('routes', options.routes ?? [], 'give at least one model route');
  }
  const providerHeader = checkHeader('provider header', options.providerHeader);
  if (typeof options.internalKeyHeaderPrefix !== 'string' || options.internalKeyHeaderPrefix.length === 0) {
    throw invalid('internal key header prefix', options.internalKeyHeaderPrefix, 'give a header name prefix such as "x-maas-egress-key-"');
  }
  const prefix = checkHeader('internal key header prefix', options.internalKeyHeaderPrefix);

  const keyToOfProvider = new Map<string, string>();
  const models = new Set<string>();
  const routes = options.routes.map((route): CheckedRoute => {
    if (typeof route.model !== 'string' || route.model.length === 0) {
      throw invalid('model id', route.model, 'give the non-empty id clients send as "model"');
    }
    if (Buffer.from(route.model, 'utf8').toString('utf8') !== route.model) {
      throw invalid('model id', route.model, 'the id contains a lone UTF-16 surrogate; use well-formed Unicode');
    }
    if (models.has(route.model)) throw invalid('model id', route.model, 'each model may appear only once');
    models.add(route.model);
    if (!isDnsLabel(route.provider)) {
      throw invalid(`provider of model ${JSON.stringify(route.model)}`, route.provider,
        'use a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-"');
    }
    const keyTo = checkHeader(`key header of model ${JSON.stringify(route.model)}`, route.keyHeader);
    if (RESERVED_HEADERS.has(keyTo)) {
      throw invalid(`key header of model ${JSON.stringify(route.model)}`, route.keyHeader, 'a provider key cannot travel in this header; use the header the provider documents for its key');
    }
    const known = keyToOfProvider.get(route.provider);
    if (known !== undefined && known !== keyTo) {
      throw invalid(`key header of model ${JSON.stringify(route.model)}`, route.keyHeader,
        `provider "${route.provider}" already takes its key in "${known}"; one provider has one key header`);
    }
    keyToOfProvider.set(route.provider, keyTo);
    return { model: route.model, provider: route.provider, keyFrom: `${prefix}${route.provider}`, keyTo };
  });

  const keyHeaders = [...new Set(routes.map((route) => route.keyFrom))].sort(byText);
  if (keyHeaders.includes(providerHeader) || providerHeader === 'authorization') {
    throw invalid('provider header', options.providerHeader, 'it must differ from "authorization" and from every internal key header');
  }
  for (const route of routes) {
    if (route.keyTo === providerHeader || keyHeaders.includes(route.keyTo)) {
      throw invalid(`key header of model ${JSON.stringify(route.model)}`, route.keyTo,
        'it must differ from the provider header and from every internal key header');
    }
  }
  return {
    paths: [...paths].sort(byText),
    routes: [...routes].sort((a, b) => byText(a.model, b.model)),
    providerHeader,
    keyHeaders,
  };
}

/**
 * Source of the Envoy Lua filter (`envoy.filters.http.lua` inline_code) on the
 * MaaS gateway that routes the unified endpoint by the body's top-level
 * `model`: it sets the provider header, moves that provider's key from its
 * internal header into the provider's key header and strips every internal
 * header. Throws on invalid input. Deterministic: tables are sorted.
 */
export function renderModelRouterLua(options: ModelRouterLuaOptions): string {
  const { paths, routes, providerHeader, keyHeaders } = checkOptions(options);
  const pathLines = paths.map((path) => `  [${luaString(path)}] = true,`).join('\n');
  const keyHeaderLines = keyHeaders.map((name) => `  ${luaString(name)},`).join('\n');
  const routeLines = routes.map((route) => `  [${luaString(route.model)}] = { provider = ${luaString(route.provider)}, `
    + `key_from = ${luaString(route.keyFrom)}, key_to = ${luaString(route.keyTo)} },`).join('\n');
  return `${String.raw`-- Generated by cdk8s-maas-egress; change the library input, not this code.
-- Unified model endpoint: the top-level "model" of the JSON body picks the
-- provider. The AuthPolicy has put each provider's key into an internal
-- header; this script moves the chosen one into the header the provider reads,
-- names the provider for the egress gateway and strips every internal header.

-- Paths handled (query string aside).
local PATHS = {
`}${pathLines}
}

-- Tells the egress gateway which provider to route to.
local PROVIDER_HEADER = ${luaString(providerHeader)}

-- Internal headers holding the providers' keys; never forwarded.
local KEY_HEADERS = {
${keyHeaderLines}
}

-- Model id -> provider, internal header with its key (key_from), header the provider reads (key_to).
local ROUTES = {
${routeLines}
}
${String.raw`
local MAX_DEPTH = 1000 -- deeper JSON nesting is rejected
local MAX_ECHO = 256   -- bytes of a model id quoted back in an error

local byte, char, find, sub = string.byte, string.char, string.find, string.sub
local concat, floor, format = table.concat, math.floor, string.format

-- JSON escapes other than \u, by the byte after the backslash.
local ESCAPES = { [34] = '"', [92] = "\\", [47] = "/", [98] = "\b", [102] = "\f", [110] = "\n", [114] = "\r", [116] = "\t" }
local LITERALS = { [116] = "true", [102] = "false", [110] = "null" }
-- Anchored runs are much faster than searching for the first byte that ends them.
local STRING_RUN = '^[^"\\%z\1-\31]*' -- string bytes other than quote, backslash, control
local SPACE_RUN = "^[ \t\n\r]*"

-- Position of the first byte at or after pos that is not JSON white space.
local function skip_space(s, pos)
  local c = byte(s, pos)
  if c ~= 32 and c ~= 10 and c ~= 13 and c ~= 9 then return pos end
  local _, last = find(s, SPACE_RUN, pos)
  return last + 1
end

local function utf8_char(cp)
  if cp < 0x80 then return char(cp) end
  if cp < 0x800 then return char(0xC0 + floor(cp / 0x40), 0x80 + cp % 0x40) end
  if cp < 0x10000 then
    return char(0xE0 + floor(cp / 0x1000), 0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
  end
  return char(0xF0 + floor(cp / 0x40000), 0x80 + floor(cp / 0x1000) % 0x40, 0x80 + floor(cp / 0x40) % 0x40, 0x80 + cp % 0x40)
end

local function hex4(s, i)
  local digits = sub(s, i, i + 3)
  if find(digits, "^[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]$") then return tonumber(digits, 16) end
end

-- Scans the JSON string whose opening quote is at i, jumping from escape to
-- escape. Returns the position after it and, when keep is set, its decoded
-- text; or nil and what is wrong.
local function read_string(s, i, keep)
  local parts, n, pos = keep and {} or nil, 0, i + 1
  while true do
    local _, run_end = find(s, STRING_RUN, pos)
    local stop = run_end + 1
    local c = byte(s, stop)
    if not c then return nil, "unterminated string" end
    if keep and stop > pos then n = n + 1; parts[n] = sub(s, pos, stop - 1) end
    if c == 34 then return stop + 1, keep and concat(parts) or nil end
    if c ~= 92 then return nil, "control character in a string" end
    local piece = ESCAPES[byte(s, stop + 1)]
    pos = stop + 2
    if not piece then
      local cp = byte(s, stop + 1) == 117 and hex4(s, pos)
      if not cp then return nil, "invalid escape in a string" end
      pos = pos + 4
      if cp >= 0xD800 and cp <= 0xDFFF then
        -- UTF-16 surrogate pair: a high half, then a low half as another \u escape
        local low = cp <= 0xDBFF and sub(s, pos, pos + 1) == "\\u" and hex4(s, pos + 2)
        if not low or low < 0xDC00 or low > 0xDFFF then return nil, "unpaired surrogate in a \\u escape" end
        cp = 0x10000 + (cp - 0xD800) * 0x400 + (low - 0xDC00)
        pos = pos + 6
      end
      piece = keep and utf8_char(cp)
    end
    if keep then n = n + 1; parts[n] = piece end
  end
end

-- Returns the position after the JSON number at i, or nil.
local function skip_number(s, i)
  local _, last = find(s, "^%-?[0-9]+", i)
  if not last then return nil end
  local first = byte(s, i) == 45 and i + 1 or i
  if byte(s, first) == 48 and last > first then return nil end -- leading zero
  local c = byte(s, last + 1)
  if c == 46 then -- fraction
    _, last = find(s, "^[0-9]+", last + 2)
    if not last then return nil end
    c = byte(s, last + 1)
  end
  if c == 101 or c == 69 then -- exponent
    _, last = find(s, "^[+%-]?[0-9]+", last + 2)
    if not last then return nil end
  end
  return last + 1
end

-- Checks that s is one JSON object and returns its top-level "model" string
-- and whether it asks for a stream without usage ("stream": true without
-- "stream_options": {"include_usage": true}: its tokens could not be counted);
-- or nil, an error code and a message. The last occurrence of a member wins,
-- as in the JSON parsers of providers. Linear time and no recursion: nested
-- values are skipped with a stack of the bytes that close them, so a "model"
-- inside messages or nested objects is ignored.
local function read_model(s)
  local function invalid(why, at)
    return nil, "invalid_json", "the request body is not valid JSON: " .. why .. " at byte offset " .. (at - 1)
  end
  local pos = skip_space(s, 1)
  if byte(s, pos) ~= 123 then
    return nil, "invalid_json", "the request body must be a JSON object"
  end
  local closers, depth = { 125 }, 1 -- closers[d]: the byte closing the container at depth d
  local expect = "first_key"        -- first_key, key, colon, value, first_value or next
  local model, seen, is_model = nil, false, false
  local member, inner = nil, nil -- the current top-level member; the current member of "stream_options"
  local stream, include_usage = false, false
  pos = pos + 1
  while depth > 0 do
    pos = skip_space(s, pos)
    local c = byte(s, pos)
    if not c then return invalid("unexpected end", pos) end
    if expect == "next" then
      if c == 44 then
        expect = closers[depth] == 125 and "key" or "value"
      elseif c == closers[depth] then
        depth = depth - 1
      else
        return invalid("expected ',' or a closing bracket", pos)
      end
      pos = pos + 1
    elseif expect == "first_key" and c == 125 or expect == "first_value" and c == 93 then
      depth = depth - 1 -- empty object or array
      expect, pos = "next", pos + 1
    elseif expect == "first_key" or expect == "key" then
      if c ~= 34 then return invalid("expected a member name", pos) end
      local in_options = depth == 2 and member == "stream_options" and closers[2] == 125
      local after, name = read_string(s, pos, depth == 1 or in_options)
      if not after then return invalid(name, pos) end
      if depth == 1 then
        member = name
        if name == "stream_options" then include_usage = false end
      end
      if in_options then inner = name end
      if depth == 1 and name == "model" then
        if seen then return nil, "duplicate_model", 'the request body has more than one top-level "model"' end
        seen, is_model = true, true
      end
      expect, pos = "colon", after
    elseif expect == "colon" then
      if c ~= 58 then return invalid("expected ':'", pos) end
      expect, pos = "value", pos + 1
    else -- a value
      if is_model and c ~= 34 then return nil, "invalid_model", '"model" must be a string' end
      local at_stream = depth == 1 and member == "stream"
      local at_usage = depth == 2 and member == "stream_options" and closers[2] == 125 and inner == "include_usage"
      local yes = false -- the value is the literal true
      if c == 34 then
        local after, text = read_string(s, pos, is_model)
        if not after then return invalid(text, pos) end
        if is_model then model = text end
        expect, pos = "next", after
      elseif c == 123 or c == 91 then
        if depth >= MAX_DEPTH then return invalid("nesting deeper than " .. MAX_DEPTH .. " levels", pos) end
        depth = depth + 1
        closers[depth] = c + 2 -- '{' + 2 = '}', '[' + 2 = ']'
        expect, pos = c == 123 and "first_key" or "first_value", pos + 1
      else
        local word = LITERALS[c]
        local after = word and sub(s, pos, pos + #word - 1) == word and pos + #word or skip_number(s, pos)
        if not after then return invalid("unexpected character", pos) end
        yes = word == "true" and after == pos + 4
        expect, pos = "next", after
      end
      if at_stream then stream = yes end
      if at_usage then include_usage = yes end
      is_model = false
    end
  end
  pos = skip_space(s, pos)
  if pos <= #s then return invalid("unexpected data after the JSON object", pos) end
  if not seen then return nil, "missing_model", 'the request body has no top-level "model"' end
  return model, nil, nil, stream and not include_usage
end

-- Length of the valid UTF-8 character at i of s, or nil (overlong forms and surrogates are invalid).
local function utf8_length(s, i)
  local b = byte(s, i)
  if b < 0x80 then return 1 end
  local n, lo, hi -- length, and range of the second byte
  if b >= 0xC2 and b <= 0xDF then n, lo, hi = 2, 0x80, 0xBF
  elseif b == 0xE0 then n, lo, hi = 3, 0xA0, 0xBF
  elseif b == 0xED then n, lo, hi = 3, 0x80, 0x9F
  elseif b >= 0xE1 and b <= 0xEF then n, lo, hi = 3, 0x80, 0xBF
  elseif b == 0xF0 then n, lo, hi = 4, 0x90, 0xBF
  elseif b >= 0xF1 and b <= 0xF3 then n, lo, hi = 4, 0x80, 0xBF
  elseif b == 0xF4 then n, lo, hi = 4, 0x80, 0x8F
  else return nil end
  local second = byte(s, i + 1)
  if not second or second < lo or second > hi then return nil end
  for k = i + 2, i + n - 1 do
    local cont = byte(s, k)
    if not cont or cont < 0x80 or cont > 0xBF then return nil end
  end
  return n
end

-- At most MAX_ECHO bytes of s, cut between characters.
local function shorten(s)
  if #s <= MAX_ECHO then return s end
  local i = 1
  while true do
    local len = utf8_length(s, i) or 1
    if i + len - 1 > MAX_ECHO then return sub(s, 1, i - 1) .. "..." end
    i = i + len
  end
end

-- JSON string literal of s; bytes that are not UTF-8 become U+FFFD.
local function json_string(s)
  local out, i = { '"' }, 1
  while i <= #s do
    local len = utf8_length(s, i)
    local b = byte(s, i)
    if not len then out[#out + 1] = "\\ufffd"; len = 1
    elseif b == 34 then out[#out + 1] = '\\"'
    elseif b == 92 then out[#out + 1] = "\\\\"
    elseif b < 0x20 or b == 0x7F then out[#out + 1] = format("\\u%04x", b)
    else out[#out + 1] = sub(s, i, i + len - 1) end
    i = i + len
  end
  out[#out + 1] = '"'
  return concat(out)
end

-- Answers the client directly with an OpenAI-style error.
local function reject(handle, status, kind, code, message)
  handle:respond({ [":status"] = status, ["content-type"] = "application/json" },
    '{"error":{"message":' .. json_string(message) .. ',"type":"' .. kind .. '","code":"' .. code .. '"}}')
end

local function remove_key_headers(headers)
  for _, name in ipairs(KEY_HEADERS) do headers:remove(name) end
end

-- remove() first: replace() may leave further copies a client sent.
local function set_header(headers, name, value)
  headers:remove(name)
  headers:add(name, value)
end

function envoy_on_request(handle)
  local headers = handle:headers()
  local path = headers:get(":path") or ""
  local query = find(path, "?", 1, true)
  if query then path = sub(path, 1, query - 1) end
  if not PATHS[path] then
    -- Another route: no client may forge the routing or key headers there.
    headers:remove(PROVIDER_HEADER)
    remove_key_headers(headers)
    return
  end

  local body = handle:body() -- buffers the whole request body
  if body == nil or body:length() == 0 then
    return reject(handle, "400", "invalid_request_error", "missing_body", 'the request needs a JSON body with a "model"')
  end
  -- A script error must not let the request through unrouted: answer 500.
  local ok, model, code, message, unmetered = pcall(function() return read_model(body:getBytes(0, body:length())) end)
  if not ok then
    handle:logErr("model router: " .. tostring(model))
    return reject(handle, "500", "server_error", "internal_error", "the gateway could not route this request")
  end
  if not model then return reject(handle, "400", "invalid_request_error", code, message) end

  local route = ROUTES[model]
  if not route then
    return reject(handle, "400", "invalid_request_error", "model_not_found",
      'the model "' .. shorten(model) .. '" does not exist on this endpoint')
  end
  if unmetered then
    return reject(handle, "400", "invalid_request_error", "stream_usage_required",
      'a streaming request must set "stream_options": {"include_usage": true}, or its tokens could not be counted')
  end
  local key = headers:get(route.key_from)
  if key == nil or key == "" then
    return reject(handle, "503", "server_error", "provider_key_unavailable",
      'no provider key is available for the model "' .. shorten(model) .. '"; try again later')
  end
  set_header(headers, PROVIDER_HEADER, route.provider)
  set_header(headers, route.key_to, key)
  if route.key_to ~= "authorization" then
    headers:remove("authorization") -- the client's MaaS token stays on this gateway
  end
  remove_key_headers(headers)
end
`}`;
}

/**
 * Source of the Lua filter that runs first on the MaaS gateway (INSERT_FIRST,
 * before Kuadrant's wasm in every Kuadrant version) and removes the routing
 * and internal key headers a client may have sent, so that only Authorino and
 * the model router ever set them.
 */
export function renderHeaderGuardLua(options: ModelRouterLuaOptions): string {
  const { providerHeader, keyHeaders } = checkOptions(options);
  const names = [providerHeader, ...keyHeaders].map((name) => `  ${luaString(name)},`).join('\n');
  return `-- Generated by cdk8s-maas-egress: removes client-sent internal headers.
local INTERNAL_HEADERS = {
${names}
}

function envoy_on_request(handle)
  local headers = handle:headers()
  for _, name in ipairs(INTERNAL_HEADERS) do headers:remove(name) end
end
`;
}
