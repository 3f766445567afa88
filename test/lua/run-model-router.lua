-- Runs the generated model router against cases and prints one JSON object
-- per case on stdout, then one with the globals the router added.
-- Usage: luajit run-model-router.lua <router.lua> <cases file>
-- Cases file: netstrings "<length>:<bytes>," read in this order per case:
-- name, body mode ("none", "bytes" or "broken"), body, header count, then
-- name and value of each header.
local here = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = here .. "/?.lua;" .. package.path
local stub = require("envoy-stub")

local router_file, cases_file = arg[1], arg[2]

-- Only envoy_on_request may be added to the globals, at load or at run time.
local before = {}
for k in pairs(_G) do before[k] = true end
local function new_globals()
  local names = {}
  for k in pairs(_G) do
    if not before[k] then names[#names + 1] = k end
  end
  table.sort(names)
  return names
end
dofile(router_file)

local function reader(data)
  local pos = 1
  local function next_string()
    local colon = data:find(":", pos, true)
    if not colon then return nil end
    local len = tonumber(data:sub(pos, colon - 1))
    local value = data:sub(colon + 1, colon + len)
    assert(data:sub(colon + len + 1, colon + len + 1) == ",", "bad netstring at " .. pos)
    pos = colon + len + 2
    return value
  end
  return next_string
end

-- JSON of byte strings: every byte outside printable ASCII as \u00XX, so the
-- reader gets the exact bytes back (latin1).
local function encode(value)
  local t = type(value)
  if t == "nil" then return "null" end
  if t == "boolean" or t == "number" then return tostring(value) end
  if t == "string" then
    return '"' .. value:gsub('[%z\1-\31"\\\127-\255]', function(c)
      return string.format("\\u%04x", c:byte())
    end) .. '"'
  end
  if value[1] ~= nil or next(value) == nil then
    local parts = {}
    for i, v in ipairs(value) do parts[i] = encode(v) end
    return "[" .. table.concat(parts, ",") .. "]"
  end
  local keys = {}
  for k in pairs(value) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for i, k in ipairs(keys) do parts[i] = encode(k) .. ":" .. encode(value[k]) end
  return "{" .. table.concat(parts, ",") .. "}"
end

local f = assert(io.open(cases_file, "rb"))
local next_string = reader(f:read("*a"))
f:close()

while true do
  local name = next_string()
  if not name then break end
  local mode, body = next_string(), next_string()
  local headers = {}
  for i = 1, tonumber(next_string()) do headers[i] = { next_string(), next_string() } end
  local handle, map = stub.new_handle({
    headers = headers,
    body = mode ~= "none" and body or nil,
    broken_body = mode == "broken",
  })
  local err = stub.run(envoy_on_request, handle)
  local out = { name = name, error = err, logs = handle.logs, headers = map.entries, bodyCalls = handle.body_calls }
  if handle.response then
    out.status = handle.response.headers[":status"]
    out.responseHeaders = handle.response.headers
    out.responseBody = handle.response.body
  end
  io.write(encode(out), "\n")
end
io.write(encode({ globals = new_globals() }), "\n")
