-- A stand-in for the request handle Envoy's Lua filter passes to
-- envoy_on_request, with just the calls the model router uses.
local M = {}

-- Header map: an ordered list of {name, value}; names are lower-cased as
-- Envoy stores them, so lookups are case-insensitive.
local function new_headers(list)
  local entries = {}
  for _, pair in ipairs(list) do entries[#entries + 1] = { pair[1]:lower(), pair[2] } end
  local map = { entries = entries }

  -- Envoy joins repeated headers with "," on get().
  function map:get(name)
    local values = {}
    for _, e in ipairs(entries) do
      if e[1] == name:lower() then values[#values + 1] = e[2] end
    end
    if #values == 0 then return nil end
    return table.concat(values, ",")
  end

  function map:add(name, value)
    assert(type(value) == "string", "header value must be a string")
    entries[#entries + 1] = { name:lower(), value }
  end

  -- Like older Envoy releases: only the first copy is replaced.
  function map:replace(name, value)
    assert(type(value) == "string", "header value must be a string")
    for _, e in ipairs(entries) do
      if e[1] == name:lower() then e[2] = value; return end
    end
    self:add(name, value)
  end

  function map:remove(name)
    for i = #entries, 1, -1 do
      if entries[i][1] == name:lower() then table.remove(entries, i) end
    end
  end

  return map
end

local function new_body(bytes, broken)
  local body = {}
  function body:length() return #bytes end
  -- Envoy's index is zero-based.
  function body:getBytes(index, length)
    if broken then error("simulated buffer failure") end
    return bytes:sub(index + 1, index + length)
  end
  return body
end

-- spec: { headers = {{name, value}, ...}, body = string or nil, broken_body = bool }
function M.new_handle(spec)
  local headers = new_headers(spec.headers)
  local handle = { logs = {}, response = nil, body_calls = 0 }
  function handle:headers() return headers end
  -- Envoy suspends the script while it buffers the body: yield like it does.
  function handle:body()
    self.body_calls = self.body_calls + 1
    coroutine.yield("buffering")
    if spec.body == nil then return nil end
    return new_body(spec.body, spec.broken_body)
  end
  function handle:respond(response_headers, response_body)
    assert(self.response == nil, "respond() called twice")
    self.response = { headers = response_headers, body = response_body }
  end
  for _, level in ipairs({ "Trace", "Debug", "Info", "Warn", "Err", "Critical" }) do
    handle["log" .. level] = function(self, message)
      self.logs[#self.logs + 1] = level:lower() .. ": " .. tostring(message)
    end
  end
  return handle, headers
end

-- Runs envoy_on_request(handle) as Envoy does: in a coroutine resumed until it ends.
function M.run(entry, handle)
  local co = coroutine.create(entry)
  local ok, err = coroutine.resume(co, handle)
  while ok and coroutine.status(co) == "suspended" do
    ok, err = coroutine.resume(co)
  end
  if not ok then return tostring(err) end
  return nil
end

return M
