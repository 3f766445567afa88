'use strict';
// Rules on the Envoy configuration Istio generated for an app (the istio
// checker's dump), for every provider of every app: the MaaS gateway's HTTP
// filter order (header guard before Kuadrant's filter, model router after it
// and right before the router), Kuadrant's filter on the MaaS gateway, every
// provider-facing route removing Accept-Encoding with the timeout its HTTPRoute
// asks for, and every TLS cluster checking the provider's certificate.
const HEADER_GUARD = 'removes client-sent internal headers';
const MODEL_ROUTER = 'change the library input, not this code';
const isKuadrant = (name) => name === 'kuadrant-wasm' || name.includes('kuadrant-maas-default-gateway');

/** Gateway API duration (`300s`, `5m`, `1h30m`) in seconds; Envoy's as Go prints it (`5m0s`). */
function seconds(text) {
  let total = 0;
  for (const [, n, unit] of String(text).matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) total += Number(n) * { h: 3600, m: 60, s: 1, ms: 0.001 }[unit];
  return total;
}

function envoyRuleProblems(appDir, summary, manifests, consumer) {
  const problems = [];
  const problem = (object, message) => problems.push({ type: 'problem', checker: 'envoy-rules', app: appDir, file: '', object, consumer, message });
  const routesByName = new Map(manifests.filter((m) => m.kind === 'HTTPRoute').map((m) => [`${m.metadata.namespace}.${m.metadata.name}`, m]));
  const guarded = manifests.some((m) => m.kind === 'EnvoyFilter' && m.metadata.name.endsWith('-header-guard'));
  const routed = manifests.some((m) => m.kind === 'EnvoyFilter' && m.metadata.name.endsWith('-model-router'));
  for (const proxy of summary.proxies) {
    const maas = proxy.name === 'openshift-ingress/maas-default-gateway';
    for (const [listener, filters] of Object.entries(proxy.httpFilters ?? {})) {
      if (!maas) continue;
      const at = (test) => filters.findIndex(test);
      const guard = at((f) => f.includes(HEADER_GUARD));
      const wasm = at(isKuadrant);
      const router = at((f) => f.includes(MODEL_ROUTER));
      const last = filters.length - 1;
      const where = `Gateway ${proxy.name}`;
      if (wasm < 0) problem(where, `listener ${listener}: Kuadrant's wasm filter is not in the HTTP filter chain, so nothing is authenticated or counted there`);
      if (guarded && (guard < 0 || (wasm >= 0 && guard > wasm))) problem(where, `listener ${listener}: the header guard is ${guard < 0 ? 'missing' : 'after Kuadrant\'s filter'}, so a client could pre-set what Authorino sets (${filters.join(', ')})`);
      if (routed && (router < 0 || (wasm >= 0 && router < wasm) || router !== last - 1)) {
        problem(where, `listener ${listener}: the model router must run after Kuadrant's filter and right before the router (${filters.join(', ')})`);
      }
    }
    for (const route of proxy.routes) {
      const id = route.name.split('.').slice(0, 2).join('.');
      const source = routesByName.get(id);
      const target = /^outbound\|\d+\|[^|]*\|(.+)$/.exec(route.cluster ?? '')?.[1];
      if (!source || !target) continue;
      const object = `HTTPRoute ${source.metadata.namespace}/${source.metadata.name}`;
      const rule = source.spec.rules[Number(route.name.split('.')[2] ?? 0)] ?? {};
      const wanted = rule.timeouts?.request;
      if (wanted !== undefined && seconds(route.timeout || '0s') !== seconds(wanted)) {
        problem(object, `on ${proxy.name} Envoy's route timeout is ${route.timeout || 'none'}, the HTTPRoute asks for ${wanted}`);
      }
      const external = !target.endsWith('.svc.cluster.local');
      if (external && !(route.requestHeadersToRemove ?? []).some((h) => h.toLowerCase() === 'accept-encoding')) {
        problem(object, `on ${proxy.name} the route to ${target} keeps Accept-Encoding: a compressed response is never counted by Kuadrant`);
      }
      const cluster = proxy.clusters.find((c) => c.name === route.cluster);
      if (cluster && cluster.tls && !cluster.tls.insecureSkipVerify && !(cluster.tls.ca && (cluster.tls.autoSanValidation || cluster.tls.sanMatchers.length > 0))) {
        problem(object, `on ${proxy.name} TLS to ${target} does not check the certificate by chain and name (ca ${cluster.tls.ca || 'none'}, SAN check ${cluster.tls.autoSanValidation ? 'auto' : 'none'})`);
      }
    }
  }
  return problems;
}

module.exports = { envoyRuleProblems, seconds };
