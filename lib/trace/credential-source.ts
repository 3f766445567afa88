import { DEMO_CREDENTIAL_ANNOTATION } from '../internal/annotations';
import { type K8sObject, objectName } from './manifest-set';

/** Where an AuthPolicy success header's value comes from, in words; never the value itself. */
export interface HeaderSource {
  /** E.g. `demo literal (AuthPolicy maas-egress/openai-bridge-auth, annotated maas-egress/demo-credentials)`. */
  readonly text: string;
  /** The kind of source, for the diff. */
  readonly kind: 'demo-literal' | 'literal' | 'vault' | 'key-service' | 'metadata' | 'identity' | 'expression';
  /** True when the value is written into the manifests. */
  readonly inManifest: boolean;
}

const STRING_LITERAL = /^\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*$/;
const AUTH_SCHEME = /^(Bearer|Basic|Token|ApiKey|Api-Key|Key) ?$/i;
const METADATA_REF = /^\s*auth\.metadata\.([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*$/;

/** Splits a CEL expression at top-level `+` signs (outside string literals and brackets). */
function concatenationParts(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if ('([{'.includes(c)) {
      depth++;
    } else if (')]}'.includes(c)) {
      depth--;
    } else if (c === '+' && depth === 0) {
      parts.push(expression.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(expression.slice(start));
  return parts;
}

/** Describes the source of AuthPolicy metadata `name` (Vault, key service, other) and the field read from it. */
export function describeMetadata(policy: K8sObject, name: string, fieldPath: string): { text: string; kind: HeaderSource['kind'] } {
  const rule = policy.spec?.rules?.metadata?.[name] ?? policy.spec?.defaults?.rules?.metadata?.[name] ?? policy.spec?.overrides?.rules?.metadata?.[name];
  const field = fieldPath.replace(/^\./, '');
  const http = rule?.http;
  if (!http) return { text: `AuthPolicy metadata "${name}"${field ? ` (${field})` : ''}`, kind: 'metadata' };
  const url = String(http.url ?? http.urlExpression ?? '?');
  const vault = /^(https?:\/\/[^/]+)\/v1\/(.+?)\/data\/(.+)$/.exec(url);
  if (vault && http.credentials?.customHeader?.name?.toLowerCase() === 'x-vault-token') {
    const key = field.replace(/^data\.data\./, '');
    return { text: `Vault ${vault[1]}, KV v2 mount "${vault[2]}", path "${vault[3]}", field "${key}"`, kind: 'vault' };
  }
  const method = String(http.method ?? 'GET').toUpperCase();
  return { text: `key service ${method} ${url}${field ? `, field "${field}"` : ''}`, kind: 'key-service' };
}

/**
 * Describes the value of an AuthPolicy `response.success.headers` entry of
 * `policy`: a demo literal, a literal, a key fetched from Vault or from a key
 * service, or an identity attribute. Literal text is never repeated, prefixes
 * such as `Bearer ` aside.
 */
export function describeHeaderValue(policy: K8sObject, entry: any): HeaderSource {
  const plain = entry?.plain ?? entry;
  const demo = policy.metadata.annotations && (policy.metadata.annotations as any)[DEMO_CREDENTIAL_ANNOTATION] === 'true';
  const literal = (): HeaderSource => (demo
    ? { text: `demo literal (in ${objectName(policy)}, annotated ${DEMO_CREDENTIAL_ANNOTATION})`, kind: 'demo-literal', inManifest: true }
    : { text: `literal written in ${objectName(policy)}`, kind: 'literal', inManifest: true });
  if (typeof plain?.value === 'string') return literal();
  if (typeof plain?.selector === 'string') {
    return { text: `identity/context value ${plain.selector}`, kind: plain.selector.startsWith('auth.metadata.') ? 'metadata' : 'identity', inManifest: false };
  }
  if (typeof plain?.expression !== 'string') return { text: 'an AuthPolicy value the trace does not model', kind: 'expression', inManifest: false };
  const parts = concatenationParts(plain.expression).map((p) => p.trim());
  if (parts.every((p) => STRING_LITERAL.test(p))) return literal();
  const pieces: string[] = [];
  let kind: HeaderSource['kind'] = 'expression';
  for (const part of parts) {
    const metadata = METADATA_REF.exec(part);
    if (STRING_LITERAL.test(part)) {
      // only a well-known auth scheme is repeated: any other literal might be (part of) a secret
      const text = part.trim().slice(1, -1);
      pieces.push(AUTH_SCHEME.test(text) ? JSON.stringify(text) : 'a literal');
    } else if (metadata) {
      const described = describeMetadata(policy, metadata[1], metadata[2]);
      kind = described.kind;
      pieces.push(`key from ${described.text}`);
    } else if (/^auth\.identity\./.test(part)) {
      if (kind === 'expression') kind = 'identity';
      pieces.push(`identity ${part}`);
    } else {
      pieces.push(`expression ${part}`);
    }
  }
  return { text: pieces.join(' + '), kind, inManifest: false };
}
