import { GROUP, type K8sObject, ManifestSet } from './manifest-set';

/** A request as route matching sees it. */
export interface MatchableRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Query parameters. */
  readonly query: ReadonlyMap<string, string>;
  /** Headers by lower-case name. */
  readonly headers: ReadonlyMap<string, string>;
}

/** A Gateway listener a request arrives on. */
export interface GatewayRef {
  readonly namespace: string;
  readonly name: string;
  /** Listener port, when known. */
  readonly port?: number;
}

/** The HTTPRoute rule chosen for a request. */
export interface SelectedRule {
  readonly route: K8sObject;
  /** 0-based index of the rule in `spec.rules`. */
  readonly ruleIndex: number;
  readonly rule: any;
  /** The match that won, with defaults filled in. */
  readonly match: any;
  /** The match in words, e.g. `PathPrefix /external/openai/ and header x-a = b`. */
  readonly matchText: string;
}

const DEFAULT_MATCH = { path: { type: 'PathPrefix', value: '/' } };

/** HTTPRoutes with a parentRef to `gateway` (and to its listener port, when a parentRef names one). */
export function routesOf(set: ManifestSet, gateway: GatewayRef): readonly K8sObject[] {
  return set.derive(`routes-of|${gateway.namespace}|${gateway.name}|${gateway.port ?? ''}`, () =>
    set.all(GROUP.gatewayApi, 'HTTPRoute').filter((route) => (route.spec?.parentRefs ?? []).some((ref: any) =>
      (ref.kind ?? 'Gateway') === 'Gateway' && (ref.group ?? GROUP.gatewayApi) === GROUP.gatewayApi && ref.name === gateway.name
      && (ref.namespace ?? route.metadata.namespace) === gateway.namespace
      && (ref.port === undefined || gateway.port === undefined || ref.port === gateway.port))));
}

function pathMatches(type: string, value: string, path: string): boolean {
  if (type === 'Exact') return path === value;
  if (type === 'RegularExpression') return safeRegex(value)?.test(path) ?? false;
  const prefix = value.replace(/\/+$/, '');
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

function safeRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}

function valueMatches(type: string | undefined, expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  return (type ?? 'Exact') === 'RegularExpression' ? safeRegex(expected)?.test(actual) ?? false : actual === expected;
}

function matches(match: any, request: MatchableRequest): boolean {
  const path = match.path ?? DEFAULT_MATCH.path;
  if (!pathMatches(path.type ?? 'PathPrefix', path.value ?? '/', request.path)) return false;
  if (match.method && match.method !== request.method) return false;
  if (!(match.headers ?? []).every((h: any) => valueMatches(h.type, h.value, request.headers.get(String(h.name).toLowerCase())))) return false;
  return (match.queryParams ?? []).every((q: any) => valueMatches(q.type, q.value, request.query.get(q.name)));
}

/** Gateway API precedence: Exact path, longest prefix, method, most header matches, most query matches. */
function rank(match: any): number[] {
  const path = match.path ?? DEFAULT_MATCH.path;
  const type = path.type ?? 'PathPrefix';
  return [type === 'Exact' ? 2 : type === 'PathPrefix' ? 1 : 0, String(path.value ?? '/').length,
    match.method ? 1 : 0, (match.headers ?? []).length, (match.queryParams ?? []).length];
}

function describeMatch(match: any): string {
  const path = match.path ?? DEFAULT_MATCH.path;
  const parts = [`${path.type ?? 'PathPrefix'} ${path.value ?? '/'}`];
  if (match.method) parts.push(`method ${match.method}`);
  for (const h of match.headers ?? []) parts.push(`header ${String(h.name).toLowerCase()} ${h.type === 'RegularExpression' ? '~' : '='} ${h.value}`);
  for (const q of match.queryParams ?? []) parts.push(`query ${q.name} ${q.type === 'RegularExpression' ? '~' : '='} ${q.value}`);
  return parts.join(' and ');
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i] - a[i];
  return 0;
}

/** One match of one rule, in the order ties are broken by. */
interface Candidate {
  readonly order: number;
  readonly route: K8sObject;
  readonly ruleIndex: number;
  readonly rule: any;
  readonly match: any;
}

/** The matches of a list of routes, by what their path match can take: exact paths, path prefixes (no trailing slash), and regular expressions. */
interface MatchIndex {
  readonly exact: ReadonlyMap<string, readonly Candidate[]>;
  readonly prefix: ReadonlyMap<string, readonly Candidate[]>;
  readonly regex: readonly Candidate[];
}

const indexes = new WeakMap<readonly K8sObject[], MatchIndex>();

/** The match index of `routes`, built once per list: the synth-time checks select a rule for every route of a gateway. */
function indexOf(routes: readonly K8sObject[]): MatchIndex {
  const known = indexes.get(routes);
  if (known) return known;
  const ordered = [...routes].sort((a, b) => {
    const ka = `${a.metadata.namespace}/${a.metadata.name}`;
    const kb = `${b.metadata.namespace}/${b.metadata.name}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  const exact = new Map<string, Candidate[]>();
  const prefix = new Map<string, Candidate[]>();
  const regex: Candidate[] = [];
  let order = 0;
  for (const route of ordered) {
    (route.spec?.rules ?? []).forEach((rule: any, ruleIndex: number) => {
      const list = rule.matches && rule.matches.length > 0 ? rule.matches : [DEFAULT_MATCH];
      for (const match of list) {
        const candidate = { order: order++, route, ruleIndex, rule, match };
        const path = match.path ?? DEFAULT_MATCH.path;
        const type = path.type ?? 'PathPrefix';
        if (type === 'RegularExpression') regex.push(candidate);
        else {
          const [map, key] = type === 'Exact' ? [exact, String(path.value ?? '/')] : [prefix, String(path.value ?? '/').replace(/\/+$/, '')];
          map.set(key, [...(map.get(key) ?? []), candidate]);
        }
      }
    });
  }
  const index = { exact, prefix, regex };
  indexes.set(routes, index);
  return index;
}

/** The candidates whose path match can take `path`: those of its exact path, of each of its prefixes ending before a `/`, and every regular expression. */
function candidatesFor(index: MatchIndex, path: string): Candidate[] {
  const prefixes = new Set<string>(['', path]);
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) prefixes.add(path.slice(0, i));
  return [...(index.exact.get(path) ?? []), ...[...prefixes].flatMap((p) => index.prefix.get(p) ?? []), ...index.regex];
}

/**
 * The rule of `routes` that takes `request`, by Gateway API precedence; ties
 * go to the route first by namespace/name (manifests carry no creation time),
 * then to the first rule and match in order.
 */
export function selectRule(routes: readonly K8sObject[], request: MatchableRequest): SelectedRule | undefined {
  let best: { candidate: Candidate; rank: number[] } | undefined;
  for (const candidate of candidatesFor(indexOf(routes), request.path)) {
    if (!matches(candidate.match, request)) continue;
    const r = rank(candidate.match);
    const compared = best ? compareRank(r, best.rank) : -1;
    if (!best || compared < 0 || (compared === 0 && candidate.order < best.candidate.order)) best = { candidate, rank: r };
  }
  if (!best) return undefined;
  const { route, ruleIndex, rule, match } = best.candidate;
  return { route, ruleIndex, rule, match, matchText: describeMatch(match) };
}

/** Path after a `ReplacePrefixMatch` rewrite, as the Gateway API defines it (trailing slashes of prefix and replacement ignored). */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const rest = path.slice(prefix.replace(/\/+$/, '').length);
  const result = replacement.replace(/\/+$/, '') + rest;
  return result === '' ? '/' : result;
}
