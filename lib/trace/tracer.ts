import { evaluateAuth, type Caller } from './auth-evaluation';
import { resolveHostname, resolveService, resolveXBackend, type ResolvedBackend, type BrokenBackend } from './backend';
import { type CelContext, type CelValue, jsonPointer, UNKNOWN } from './cel-subset';
import { traceCurrentMaas } from './current-maas';
import { entryGateway, gatewayBehindService, type GatewayInfo, listenerOn, timeoutBehaviour } from './data-plane';
import { countingLimits, describeLimit } from './limit-evaluation';
import { GROUP, ManifestSet, objectName } from './manifest-set';
import { headerGuardsOf, modelRoutersOf, routerDecision } from './model-router';
import { effectivePolicy } from './policy-resolution';
import { replacePrefix, routesOf, type SelectedRule, selectRule } from './route-selection';
import { tierMaximum } from './tier-maximum';
import { readTopLevelModel } from './top-level-model';
import type { TraceHop, TraceLimit, TraceResult, TraceUpstream } from './trace-result';

/** One request to trace. */
export interface TraceOptions {
  readonly method: string;
  /** Path, query string allowed. */
  readonly path: string;
  /** User of a valid MaaS token; absent: no token. */
  readonly user?: string;
  /** Tier of that token's user (tier-based MaaS). */
  readonly tier?: string;
  /** Groups of that user (subscription-based MaaS). */
  readonly groups?: readonly string[];
  /** Other request headers, as the client sends them. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer;
  /** The gateway the request enters by. @default openshift-ingress/maas-default-gateway */
  readonly gateway?: { readonly namespace: string; readonly name: string };
}

const MAX_HOPS = 8;

/** The state of a request as it crosses gateways. */
class RequestState {
  /** Header name -> value where known (values set by policies are placeholders, used only to match routes). */
  public readonly values = new Map<string, string>();
  /** Header name -> where its value comes from. */
  public readonly sources = new Map<string, string>();
  public hostHeader = "the client's Host";
  public path: string;

  constructor(options: TraceOptions, caller: Caller) {
    this.path = options.path;
    for (const [name, value] of options.headers ?? []) this.set(name, value, 'client');
    if (caller.token) this.set('authorization', 'Bearer <token>', `client's MaaS token (user ${caller.user ?? '?'})`);
    if (options.body !== undefined && !this.values.has('content-type')) this.set('content-type', 'application/json', 'client');
  }

  public set(name: string, value: string, source: string): void {
    this.values.set(name.toLowerCase(), value);
    this.sources.set(name.toLowerCase(), source);
  }

  public remove(name: string): boolean {
    this.values.delete(name.toLowerCase());
    return this.sources.delete(name.toLowerCase());
  }
}

type HopResult =
  | { readonly kind: 'rejected'; readonly status: number; readonly reason: string }
  | { readonly kind: 'next'; readonly gateway: GatewayInfo }
  | { readonly kind: 'upstream'; readonly backend: ResolvedBackend };

/** Follows one request through the manifests of `set`. */
export function traceRequest(set: ManifestSet, options: TraceOptions): TraceResult {
  return new Tracer(set, options).run();
}

class Tracer {
  private readonly caller: Caller;
  private readonly state: RequestState;
  private readonly hops: TraceHop[] = [];
  private readonly limits: TraceLimit[] = [];
  private readonly warnings: string[] = [];
  private readonly objects = new Set<string>();
  private readonly timeouts: string[] = [];
  private readonly bodyJson: unknown;
  private readonly model?: string;

  constructor(private readonly set: ManifestSet, private readonly options: TraceOptions) {
    this.caller = { token: options.user !== undefined || options.tier !== undefined, user: options.user, tier: options.tier };
    this.state = new RequestState(options, this.caller);
    try {
      this.bodyJson = options.body ? JSON.parse(options.body.toString('utf8')) : undefined;
    } catch {
      this.bodyJson = undefined;
    }
    const reading = readTopLevelModel(options.body);
    if ('model' in reading) this.model = reading.model.toString('utf8');
  }

  public run(): TraceResult {
    const current = traceCurrentMaas(this.set, this.options, this.caller, this.model);
    if (current) return { request: this.request(), ...current };
    let gateway = entryGateway(this.set, this.options.gateway);
    let end: Exclude<HopResult, { kind: 'next' }> | undefined;
    for (let i = 0; i < MAX_HOPS && !end; i++) {
      const result = this.crossGateway(gateway, i === 0);
      if (result.kind === 'next') gateway = result.gateway;
      else end = result;
    }
    if (!end) end = { kind: 'rejected', status: 508, reason: `the request crosses more than ${MAX_HOPS} gateways: a loop?` };
    this.warnStreamingWithoutUsage();
    const rest = { limits: this.limits, warnings: [...new Set(this.warnings)], objects: [...this.objects].sort() };
    if (end.kind === 'rejected') {
      return { request: this.request(), outcome: 'rejected', status: end.status, reason: end.reason, hops: this.hops, ...rest };
    }
    const maximum = this.caller.tier !== undefined ? tierMaximum(this.set, this.caller.tier) : undefined;
    return {
      request: this.request(), outcome: 'forwarded', hops: this.hops, upstream: this.upstream(end.backend, gateway), ...rest,
      ...(maximum !== undefined && { tierMaximum: `tier ${this.caller.tier}: at most ${maximum}, per user` }),
    };
  }

  /** Kuadrant counts a stream's tokens only from a final usage event, which providers send only when asked. */
  private warnStreamingWithoutUsage(): void {
    const body = this.bodyJson as any;
    if (!body || typeof body !== 'object' || body.stream !== true || body.stream_options?.include_usage === true) return;
    if (!this.limits.some((l) => l.kind === 'TokenRateLimitPolicy')) return;
    this.warnings.push('a streaming request without "stream_options": {"include_usage": true} is NOT counted by the token limits: '
      + 'the provider sends no usage event, and Kuadrant counts only usage (docs/operations.md, "Known limits", says how to require it)');
  }

  private request(): TraceResult['request'] {
    return {
      method: this.options.method,
      path: this.options.path,
      ...(this.options.user !== undefined && { user: this.options.user }),
      ...(this.options.tier !== undefined && { tier: this.options.tier }),
      ...(this.options.groups && this.options.groups.length > 0 && { groups: [...this.options.groups] }),
      headers: [...new Set((this.options.headers ?? []).map(([n]) => n.toLowerCase()))].sort(),
      ...(this.model !== undefined && { model: this.model }),
    };
  }

  private upstream(backend: ResolvedBackend, gateway: GatewayInfo): TraceUpstream {
    const headers: Record<string, string> = {};
    for (const name of [...this.state.sources.keys()].sort()) headers[name] = this.state.sources.get(name)!;
    const hostHeader = gateway.proxy.forcesBackendHost ? backend.host : this.state.hostHeader;
    return {
      host: backend.host,
      port: backend.port,
      tls: backend.tls,
      path: this.state.path,
      hostHeader,
      headers,
      backend: backend.object,
      timeouts: this.timeouts.join('; '),
    };
  }

  private celContext(originalPath: string): CelContext {
    return {
      lookup: (path) => lookup(path, this.caller, this.options.method, originalPath, this.state),
      bodyJson: (pointer) => jsonPointer(this.bodyJson, pointer) as CelValue | undefined,
    };
  }

  private crossGateway(gateway: GatewayInfo, entry: boolean): HopResult {
    const gwName = `${gateway.namespace}/${gateway.name}`;
    if (gateway.object) this.objects.add(objectName(gateway.object));
    const steps: string[] = [];
    const arrivedPath = this.state.path;
    const [pathOnly, queryString] = splitQuery(this.state.path);
    const request = () => ({ method: this.options.method, path: pathOnly, query: parseQuery(queryString), headers: this.state.values });
    const routes = routesOf(this.set, gateway);
    let selected = selectRule(routes, request());
    const hop = (extra: Partial<TraceHop> = {}): void => {
      this.hops.push({
        gateway: gwName,
        dataPlane: gateway.proxy.name,
        ...(selected && { route: `${selected.route.metadata.namespace}/${selected.route.metadata.name}`, rule: selected.ruleIndex + 1, match: selected.matchText }),
        path: arrivedPath,
        steps,
        ...extra,
      });
    };
    if (!selected) {
      steps.push(`no HTTPRoute attached to ${gwName} matches ${this.options.method} ${pathOnly}`);
      hop();
      const outside = entry && !gateway.object ? ' (among the routes in these manifests; MaaS\'s own routes are not in them)' : '';
      return { kind: 'rejected', status: 404, reason: `no route on ${gwName} matches ${pathOnly}${outside}` };
    }
    this.objects.add(objectName(selected.route));
    steps.push(`route ${selected.route.metadata.namespace}/${selected.route.metadata.name} rule ${selected.ruleIndex + 1} (${selected.matchText})`);

    if (gateway.proxy.runsKuadrant) {
      this.applyHeaderGuards(gateway, steps);
      const rejected = this.applyKuadrant(gateway, selected, entry, steps, pathOnly);
      if (rejected) { hop(); return rejected; }
      const routed = this.applyModelRouter(gateway, steps);
      if (routed) { hop(); return routed; }
      const again = selectRule(routes, request());
      if (again && (again.route !== selected.route || again.ruleIndex !== selected.ruleIndex)) {
        steps.push(`route re-selected after the header changes: ${again.route.metadata.namespace}/${again.route.metadata.name} rule ${again.ruleIndex + 1}`);
        selected = again;
        this.objects.add(objectName(again.route));
      }
    } else {
      this.warnUnenforcedPolicies(gateway, selected);
    }

    const filtered = this.applyFilters(gateway, selected, steps);
    if (filtered) { hop(); return filtered; }
    const timeouts = timeoutBehaviour(gateway, selected.rule);
    this.timeouts.push(`${gwName}: ${timeouts.text}`);
    this.warnings.push(...timeouts.warnings);
    const result = this.followBackend(gateway, selected, steps);
    hop();
    return result;
  }

  private applyKuadrant(gateway: GatewayInfo, selected: SelectedRule, entry: boolean, steps: string[], originalPath: string): HopResult | undefined {
    const ctx = this.celContext(originalPath);
    const routeName = `${selected.route.metadata.namespace}/${selected.route.metadata.name}`;
    const auth = effectivePolicy(this.set, 'AuthPolicy', selected.route, gateway);
    if (!auth) {
      if (entry) this.warnings.push(`no AuthPolicy in these manifests targets route ${routeName} or its gateway: the MaaS installation's gateway-level AuthPolicy decides (not traced)`);
    } else {
      this.objects.add(objectName(auth.policy));
      for (const d of auth.displaced) steps.push(`not applied: ${d}`);
      const outcome = evaluateAuth(auth, this.caller, ctx);
      steps.push(...outcome.steps);
      if (outcome.status) return { kind: 'rejected', status: outcome.status, reason: outcome.reason ?? 'denied' };
      for (const h of outcome.headers) this.state.set(h.name, '<set by AuthPolicy>', `${h.source.text}`);
    }
    for (const kind of ['RateLimitPolicy', 'TokenRateLimitPolicy'] as const) {
      const policy = effectivePolicy(this.set, kind, selected.route, gateway);
      if (!policy) {
        if (kind === 'TokenRateLimitPolicy' && entry) this.warnings.push(`no TokenRateLimitPolicy in these manifests targets route ${routeName}: the MaaS gateway's own token limits apply (not traced)`);
        continue;
      }
      this.objects.add(objectName(policy.policy));
      for (const d of policy.displaced) steps.push(`not applied: ${d}`);
      const counting = countingLimits(policy, ctx, routeName);
      for (const limit of counting) steps.push(`counted: ${describeLimit(limit)}`);
      this.limits.push(...counting);
      if (kind === 'TokenRateLimitPolicy' && this.caller.tier !== undefined && counting.filter((l) => !l.condition).length === 0) {
        this.warnings.push(`tier ${this.caller.tier} has no token limit on route ${routeName}: ${objectName(policy.policy)} (${policy.level}-level) has none for it`
          + (policy.level === 'route' ? ", and it replaces the gateway's token limits" : ''));
      }
    }
    return undefined;
  }

  /** Lua filters first in the chain that remove client-sent internal headers before Kuadrant sets them. */
  private applyHeaderGuards(gateway: GatewayInfo, steps: string[]): void {
    for (const guard of headerGuardsOf(this.set, gateway.namespace, gateway.name)) {
      this.objects.add(objectName(guard.envoyFilter));
      const removed = guard.headers.filter((h) => this.state.remove(h));
      if (removed.length > 0) steps.push(`header guard ${objectName(guard.envoyFilter)}: removes client-sent ${removed.join(', ')}`);
    }
  }

  private applyModelRouter(gateway: GatewayInfo, steps: string[]): HopResult | undefined {
    for (const router of modelRoutersOf(this.set, gateway.namespace, gateway.name)) {
      const filter = objectName(router.envoyFilter);
      const decision = routerDecision(router, this.state.path, this.options.body, (h) => this.state.sources.has(h));
      if (!decision.handled) {
        const forged = [router.providerHeader, ...router.keyHeaders].filter((h) => this.state.remove(h));
        if (forged.length > 0) steps.push(`model router ${filter}: removes client-sent ${forged.join(', ')}`);
        continue;
      }
      this.objects.add(filter);
      if ((router.envoyFilter.spec?.priority ?? 0) <= 0) {
        this.warnings.push(`${filter} has no positive priority: it must run after Kuadrant's wasm filter (an EnvoyFilter of priority 0) to see the key headers the AuthPolicy sets, and with equal priorities Istio orders by creation time; set spec.priority above 0`);
      }
      if (decision.status !== undefined) {
        steps.push(`model router ${filter}: answers ${decision.status} ${decision.code}`);
        return { kind: 'rejected', status: decision.status, reason: `${decision.code}: ${decision.message}` };
      }
      const { route } = decision;
      const keySource = this.state.sources.get(route.keyFrom) ?? '?';
      steps.push(`model router ${filter}: top-level model "${route.model}" -> provider ${route.provider}; sets ${router.providerHeader}: ${route.provider}; moves the key from ${route.keyFrom} to ${route.keyTo}`);
      this.state.set(router.providerHeader, route.provider, `model router (${filter}): "${route.provider}"`);
      this.state.set(route.keyTo, '<key>', keySource);
      if (route.keyTo !== 'authorization' && this.state.remove('authorization')) steps.push('model router: removes authorization (the MaaS token stays on this gateway)');
      for (const h of router.keyHeaders) this.state.remove(h);
      steps.push(`model router: removes the internal key headers ${router.keyHeaders.join(', ')}`);
    }
    return undefined;
  }

  private warnUnenforcedPolicies(gateway: GatewayInfo, selected: SelectedRule): void {
    for (const kind of ['AuthPolicy', 'RateLimitPolicy', 'TokenRateLimitPolicy'] as const) {
      const policy = effectivePolicy(this.set, kind, selected.route, gateway);
      if (policy) this.warnings.push(`${objectName(policy.policy)} targets a route of ${gateway.namespace}/${gateway.name}, a ${gateway.proxy.name} gateway: Kuadrant does not enforce it there`);
    }
  }

  private applyFilters(gateway: GatewayInfo, selected: SelectedRule, steps: string[]): HopResult | undefined {
    const routeName = `${selected.route.metadata.namespace}/${selected.route.metadata.name}`;
    for (const filter of selected.rule.filters ?? []) {
      if (filter.type === 'URLRewrite') {
        const path = filter.urlRewrite?.path;
        if (path?.type === 'ReplacePrefixMatch' && selected.match.path?.type !== 'Exact') {
          const [pathOnly, query] = splitQuery(this.state.path);
          const rewritten = replacePrefix(pathOnly, selected.match.path?.value ?? '/', path.replacePrefixMatch ?? '');
          this.state.path = rewritten + (query !== undefined ? `?${query}` : '');
          steps.push(`rewrites the path to ${rewritten} (ReplacePrefixMatch ${selected.match.path?.value ?? '/'} -> ${path.replacePrefixMatch})`);
        } else if (path?.type === 'ReplaceFullPath') {
          const [, query] = splitQuery(this.state.path);
          this.state.path = path.replaceFullPath + (query !== undefined ? `?${query}` : '');
          steps.push(`rewrites the path to ${path.replaceFullPath}`);
        }
        const hostname = filter.urlRewrite?.hostname;
        if (hostname && gateway.proxy.honoursHostRewrite) {
          this.state.hostHeader = hostname;
          steps.push(`rewrites Host to ${hostname}`);
        } else if (hostname) {
          steps.push(`urlRewrite.hostname ${hostname} (${gateway.proxy.name} forces Host to the backend's hostname anyway)`);
        }
      } else if (filter.type === 'RequestHeaderModifier') {
        const mod = filter.requestHeaderModifier ?? {};
        for (const h of [...(mod.set ?? []), ...(mod.add ?? [])]) {
          const name = String(h.name).toLowerCase();
          if (name === 'host' || name === ':authority') {
            const refusal = gateway.proxy.hostHeaderRefusal(routeName, h.name);
            if (refusal) this.warnings.push(refusal);
            else {
              this.state.hostHeader = h.value;
              steps.push(`sets Host to ${h.value}`);
            }
            continue;
          }
          this.state.set(name, h.value, `literal set by route ${routeName}`);
          steps.push(`sets ${name} (literal in the route)`);
        }
        for (const name of mod.remove ?? []) {
          if (this.state.remove(name)) steps.push(`removes ${String(name).toLowerCase()}`);
          else steps.push(`removes ${String(name).toLowerCase()} (not present)`);
        }
      } else if (filter.type === 'RequestRedirect') {
        const status = filter.requestRedirect?.statusCode ?? 302;
        steps.push(`redirects with ${status}`);
        return { kind: 'rejected', status, reason: `route ${routeName} redirects` };
      } else {
        const note = gateway.proxy.unmodelledFilterNote(filter.type);
        this.warnings.push(`route ${routeName}: filter ${filter.type} is not modelled by the trace${note ? ` (${note})` : ''}`);
      }
    }
    return undefined;
  }

  private followBackend(gateway: GatewayInfo, selected: SelectedRule, steps: string[]): HopResult {
    const routeNs = selected.route.metadata.namespace ?? '';
    const refs: any[] = (selected.rule.backendRefs ?? []).filter((r: any) => r.weight !== 0);
    if (refs.length === 0) return { kind: 'rejected', status: 500, reason: `route ${routeNs}/${selected.route.metadata.name} rule ${selected.ruleIndex + 1} has no backend` };
    if (refs.length > 1) {
      this.warnings.push(`route ${routeNs}/${selected.route.metadata.name} splits traffic over ${refs.length} backends (${refs.map((r) => `${r.name} weight ${r.weight ?? 1}`).join(', ')}); the trace follows the first`);
    }
    const ref = refs[0];
    const kind = ref.kind ?? 'Service';
    const group = ref.group ?? '';
    let resolved: ResolvedBackend | BrokenBackend;
    if (kind === 'Service' && group === '') {
      const ns = ref.namespace ?? routeNs;
      const next = gatewayBehindService(this.set, ns, ref.name, ref.port);
      if (next) {
        const listener = listenerOn(next, ref.port);
        steps.push(`-> Service ${ns}/${ref.name}:${ref.port} (${next.proxy.name} Envoy of Gateway ${next.namespace}/${next.name}${listener ? `, listener ${listener.name}` : ''})`);
        if (!listener) return { kind: 'rejected', status: 503, reason: `Gateway ${next.namespace}/${next.name} has no listener on port ${ref.port}` };
        return { kind: 'next', gateway: next };
      }
      resolved = resolveService(this.set, routeNs, ref);
    } else if (kind === 'Backend') {
      if (!gateway.proxy.resolvesBackendKind) this.warnings.push(`backendRef kind Backend on ${gateway.proxy.name} gateway ${gateway.namespace}/${gateway.name}: only wg-ai-gateway understands it`);
      resolved = resolveXBackend(this.set, routeNs, ref);
    } else if (kind === 'Hostname' && group === GROUP.istio) {
      resolved = resolveHostname(this.set, routeNs, gateway.namespace, ref, this.state.hostHeader.startsWith('the client') ? ref.name : this.state.hostHeader);
      if (this.state.hostHeader.startsWith('the client')) this.warnings.push(`route ${routeNs}/${selected.route.metadata.name} sends the client's Host to ${ref.name}: set urlRewrite.hostname`);
    } else {
      return { kind: 'rejected', status: 500, reason: `backendRef kind ${kind} (group "${group}") is not supported by the trace` };
    }
    if ('status' in resolved) {
      steps.push(`backend: ${resolved.reason}`);
      return { kind: 'rejected', status: resolved.status, reason: resolved.reason };
    }
    this.objects.add(resolved.object);
    for (const o of resolved.consulted) this.objects.add(o);
    this.warnings.push(...resolved.warnings);
    steps.push(`-> ${resolved.object}: ${resolved.host}:${resolved.port}, ${resolved.tls.enabled ? resolved.tls.verification : 'plain HTTP'}`);
    if (gateway.proxy.forcesBackendHost) steps.push(`Host forced to ${resolved.host} (${gateway.proxy.name})`);
    return { kind: 'upstream', backend: resolved };
  }
}

function splitQuery(path: string): [string, string | undefined] {
  const i = path.indexOf('?');
  return i < 0 ? [path, undefined] : [path.slice(0, i), path.slice(i + 1)];
}

function parseQuery(query: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(query ?? '')) if (!map.has(k)) map.set(k, v);
  return map;
}

function lookup(path: readonly string[], caller: Caller, method: string, originalPath: string, state: RequestState): CelValue | undefined {
  const key = path.join('.');
  if (key === 'auth.identity.userid') return caller.token ? caller.user ?? UNKNOWN : undefined;
  if (key === 'auth.identity.tier') return caller.token ? caller.tier ?? UNKNOWN : undefined;
  // the MaaS tier lookup answers the caller's tier (what --tier names)
  if (key === 'auth.metadata.matchedTier.tier') return caller.token ? caller.tier ?? UNKNOWN : undefined;
  if (key === 'request.path' || key === 'request.url_path') return splitQuery(originalPath)[0];
  if (key === 'request.method') return method;
  if (path.length === 3 && path[0] === 'request' && path[1] === 'headers') {
    const name = path[2].toLowerCase();
    return state.values.has(name) && state.sources.get(name) === 'client' ? state.values.get(name) : state.values.has(name) ? UNKNOWN : undefined;
  }
  return UNKNOWN;
}
