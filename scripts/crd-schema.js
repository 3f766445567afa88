'use strict';
// Turns a CRD's structural openAPIV3Schema into a compact JSON Schema that Ajv
// checks the way the API server would, plus one thing the server does not do:
// unknown fields are errors (the server prunes them silently, hiding typos).
// CEL rules (x-kubernetes-validations) and string formats are not checked.

function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || DROPPED.has(key)) continue;
    out[key] = MAPS.has(key)
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]))
      : toJsonSchema(value);
  }
  if (node['x-kubernetes-int-or-string']) {
    delete out.type;
    if (!out.anyOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node.nullable && typeof out.type === 'string') out.type = [out.type, 'null'];
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserveUnknown) {
    out.additionalProperties = false;
  }
  return out;
}
const DROPPED = new Set(['description', 'nullable', 'format', 'example', 'default']);
const MAPS = new Set(['properties', 'patternProperties']);

// CRDs such as LLMInferenceService inline the same PodSpec many times; moving
// repeated large subtrees into definitions makes the compiled validator small.
function dedupe(schema, minBytes = 2048) {
  const counts = new Map();
  const walk = (node) => {
    if (node === null || typeof node !== 'object') return;
    if (!Array.isArray(node) && node.properties) {
      const text = JSON.stringify(node);
      if (text.length >= minBytes) counts.set(text, (counts.get(text) || 0) + 1);
    }
    for (const child of Object.values(node)) walk(child);
  };
  walk(schema);
  const names = new Map();
  const definitions = {};
  const replace = (node, isRoot) => {
    if (node === null || typeof node !== 'object') return node;
    if (!isRoot && !Array.isArray(node) && node.properties) {
      const text = JSON.stringify(node);
      if ((counts.get(text) || 0) > 1) {
        if (!names.has(text)) {
          const name = `d${names.size}`;
          names.set(text, name);
          definitions[name] = replaceChildren(node);
        }
        return { $ref: `#/definitions/${names.get(text)}` };
      }
    }
    return replaceChildren(node);
  };
  const replaceChildren = (node) => Array.isArray(node)
    ? node.map((c) => replace(c, false))
    : Object.fromEntries(Object.entries(node).map(([k, v]) => [k, replace(v, false)]));
  const result = replace(schema, true);
  if (names.size > 0) result.definitions = definitions;
  return result;
}

/** One compact JSON Schema per served version, keyed `<apiVersion>/<Kind>`. */
function schemasOfCrd(crd) {
  const result = {};
  for (const version of crd.spec.versions) {
    if (!version.served || !version.schema) continue;
    const schema = toJsonSchema(version.schema.openAPIV3Schema);
    // the API server owns metadata; a manifest must at least name the object
    schema.properties = { ...schema.properties, apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object', required: ['name'] } };
    schema.required = Array.from(new Set([...(schema.required || []), 'apiVersion', 'kind']));
    result[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = dedupe(schema);
  }
  return result;
}

module.exports = { toJsonSchema, dedupe, schemasOfCrd };
