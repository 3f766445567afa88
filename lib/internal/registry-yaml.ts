import { parse, stringify } from 'yaml';

// The registry's `models` key as YAML. Parsing a large registry is the costliest
// synth-time check (about 0.2 s for 2000 models), so texts this process rendered
// are remembered with the entries they came from, and only text written or
// changed elsewhere is parsed again.
const rendered = new Map<string, readonly object[]>();
const REMEMBERED = 8;

/** Labels that mark a ConfigMap as an external model registry of the MaaS API. */
export const REGISTRY_LABELS = { app: 'maas-api' } as const;

/** True for an external model registry: a ConfigMap labelled for the MaaS API with a `models` key. */
export function isModelRegistry(object: { readonly kind: string; readonly metadata: object }): boolean {
  return object.kind === 'ConfigMap' && (object.metadata as any).labels?.app === REGISTRY_LABELS.app && (object as any).data?.models !== undefined;
}

/** The YAML list of `entries`, as the external model registry holds it. */
export function renderRegistry(entries: readonly object[]): string {
  const text = stringify(entries);
  rendered.delete(text);
  rendered.set(text, entries.map((entry) => Object.freeze({ ...entry })));
  if (rendered.size > REMEMBERED) rendered.delete(rendered.keys().next().value as string);
  return text;
}

/** The value of a registry's YAML text; throws when it is not YAML. */
export function parseRegistry(text: string): unknown {
  return rendered.get(text) ?? parse(text);
}
