'use strict';
// The trace agrees with Istio: for every request `maas-egress diff` probes on
// an app, each hop the trace takes through an Istio gateway must be the route
// Istio generated for that HTTPRoute rule (path matched, rewrite, Host), and
// the last hop's cluster (host, port, TLS) must be the upstream the trace
// names. Reads the Envoy summaries the istio checker dumps (verify/istio).
const fs = require('fs');
const path = require('path');
const { envoyRuleProblems } = require('./verify-envoy-rules');

/** The host clients call the MaaS gateway by, as the istio checker sets it up (verify/istio load.go). */
const MAAS_HOST = 'maas.apps.example.com';

function build(...parts) {
  return require(path.join(__dirname, '..', 'build', 'lib', ...parts));
}

/** Envoy's route match on a path, for the match kinds Istio emits for Gateway API routes. */
function pathMatches(match, p) {
  const bare = p.split('?')[0];
  if (match.path !== undefined) return bare === match.path;
  if (match.prefix !== undefined) return bare.startsWith(match.prefix);
  if (match.pathSeparatedPrefix !== undefined) return bare === match.pathSeparatedPrefix || bare.startsWith(`${match.pathSeparatedPrefix}/`);
  if (match.safeRegex !== undefined) return new RegExp(`^(?:${match.safeRegex})$`).test(bare);
  return true;
}

/** The path Envoy sends after `route`'s rewrite. */
function rewrite(route, p) {
  const [bare, query] = [p.split('?')[0], p.includes('?') ? p.slice(p.indexOf('?')) : ''];
  if (route.prefixRewrite) {
    const prefix = route.match.prefix ?? route.match.pathSeparatedPrefix ?? '';
    return route.prefixRewrite + bare.slice(prefix.length) + query;
  }
  if (route.regexRewrite && route.regexRewrite.pattern) {
    const substitution = route.regexRewrite.substitution.replace(/\\(\d)/g, '$$$1');
    return bare.replace(new RegExp(route.regexRewrite.pattern), substitution) + query;
  }
  return p;
}

function domainMatches(domains, host) {
  return (domains ?? []).some((d) => d === '*' || d === host || d.split(':')[0] === host
    || (d.startsWith('*.') && host.endsWith(d.slice(1))));
}

function clusterTarget(name) {
  const m = /^outbound\|(\d+)\|[^|]*\|(.+)$/.exec(name ?? '');
  return m ? { host: m[2], port: Number(m[1]) } : undefined;
}

/**
 * Disagreements between the trace and Istio on one app, as verify problems.
 * `summary` is the istio checker's dump of that app.
 */
function agreementProblems(appDir, summary, manifests, consumer) {
  const { ManifestSet } = build('trace', 'manifest-set');
  const { probesOf, callersOf, probeRequest } = build('trace', 'probes');
  const { traceRequest } = build('trace', 'tracer');
  const set = new ManifestSet(manifests);
  const callers = callersOf([set]).filter((c) => c.tier !== undefined);
  const caller = callers.find((c) => c.tier === 'free') ?? callers[0];
  const proxies = new Map(summary.proxies.map((p) => [p.name, p]));
  const problems = [];
  const problem = (object, message) => problems.push({ type: 'problem', checker: 'trace-agreement', app: appDir, file: '', object, consumer, message });
  let compared = 0;
  for (const probe of probesOf(set)) {
    if (!caller) break;
    const trace = traceRequest(set, probeRequest(probe, caller));
    if (trace.outcome !== 'forwarded') continue;
    const request = `${probe.method} ${probe.path} (${probe.subject}, ${caller.label})`;
    let host = MAAS_HOST;
    trace.hops.forEach((hop, i) => {
      if (hop.dataPlane !== 'istio' || !hop.route) return;
      const proxy = proxies.get(hop.gateway);
      const [ns, name] = hop.route.split('/');
      const object = `HTTPRoute ${hop.route}`;
      if (!proxy) {
        problem(object, `${request}: the trace crosses gateway ${hop.gateway}, for which Istio generated no proxy configuration`);
        return;
      }
      compared++;
      // Istio names a Gateway API route `<namespace>.<name>.<rule index>` (and `.<match index>` when a rule has several matches)
      const id = `${ns}.${name}.${(hop.rule ?? 1) - 1}`;
      const candidates = proxy.routes.filter((r) => (r.name === id || r.name.startsWith(`${id}.`)) && domainMatches(r.domains, host) && pathMatches(r.match, hop.path));
      if (candidates.length === 0) {
        problem(object, `${request}: the trace takes rule ${hop.rule} for ${hop.path} on ${hop.gateway}, but Istio generated no route of that rule matching it (Host ${host})`);
        return;
      }
      const route = candidates[0];
      const next = i + 1 < trace.hops.length ? trace.hops[i + 1] : undefined;
      const sentPath = rewrite(route, hop.path);
      const tracePath = next ? next.path : trace.upstream.path;
      if (sentPath !== tracePath) problem(object, `${request}: Istio sends path ${sentPath} from ${hop.gateway}, the trace says ${tracePath}`);
      const sentHost = route.hostRewriteLiteral || host;
      const target = clusterTarget(route.cluster);
      if (!next && target && !target.host.endsWith('.svc.cluster.local') && sentHost !== target.host) {
        // auto SNI and the certificate name check follow the Host Envoy sends
        problem(object, `${request}: Istio sends Host ${sentHost} to ${target.host}:${target.port}; SNI and the certificate name check follow it, so the provider's certificate will not match and the provider sees another host`);
      }
      if (!next) {
        const traceHost = trace.upstream.hostHeader === "the client's Host" ? MAAS_HOST : trace.upstream.hostHeader;
        if (sentHost !== traceHost) problem(object, `${request}: Istio sends Host ${sentHost} to the provider, the trace says ${traceHost}`);
        if (!target || target.host !== trace.upstream.host || target.port !== trace.upstream.port) {
          problem(object, `${request}: Istio sends to cluster ${route.cluster || '(none)'}, the trace to ${trace.upstream.host}:${trace.upstream.port}`);
        } else {
          const cluster = proxy.clusters.find((c) => c.name === route.cluster);
          const tls = Boolean(cluster && cluster.tls);
          if (!cluster) problem(object, `${request}: Istio's route names cluster ${route.cluster}, which that proxy does not have (the request would answer 503)`);
          else if (tls !== trace.upstream.tls.enabled) {
            problem(object, `${request}: Istio ${tls ? 'originates TLS' : 'sends plain HTTP'} to ${route.cluster}, the trace says ${trace.upstream.tls.enabled ? 'TLS' : 'plain HTTP'}`);
          }
        }
      }
      host = sentHost;
    });
  }
  return { problems, compared };
}

/** The istio checker's dump of each app in `dumpDir` (`<app>.json`), by app folder. */
function readDumps(apps, dumpDir) {
  const dumps = new Map();
  for (const app of apps) {
    const file = path.join(dumpDir, `${path.basename(app)}.json`);
    if (fs.existsSync(file)) dumps.set(app, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return dumps;
}

/** Runs the comparison and the Envoy rules on every app of `dumps` (see readDumps). */
function agreementRun(dumps, consumer) {
  const { readManifestFolder } = build('output', 'read-manifest-folder');
  const lines = [];
  for (const [app, summary] of dumps) {
    const { manifests } = readManifestFolder(app);
    const { problems, compared } = agreementProblems(app, summary, manifests, consumer);
    lines.push(...problems, ...envoyRuleProblems(app, summary, manifests, consumer.replace(/^trace vs /, 'Envoy config of ')), { type: 'agreement', app, compared });
  }
  return lines;
}

module.exports = { agreementProblems, agreementRun, readDumps, rewrite, pathMatches };
