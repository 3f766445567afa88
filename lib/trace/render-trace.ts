import { describeLimit } from './limit-evaluation';
import type { TraceResult } from './trace-result';

/** The trace as a short hop-by-hop story for a terminal or a pull request comment. */
export function renderTrace(trace: TraceResult): string {
  const r = trace.request;
  const who = r.user !== undefined || r.tier !== undefined
    ? `user ${r.user ?? '?'}${r.tier !== undefined ? `, tier ${r.tier}` : ''}${r.groups ? `, groups ${r.groups.join(', ')}` : ''}`
    : 'no token';
  const lines = [`${r.method} ${r.path} (${who}${r.model !== undefined ? `, model "${r.model}"` : ''})`];
  trace.hops.forEach((hop, i) => {
    lines.push(`${i + 1}. ${hop.dataPlane === 'maas-controller' ? 'MaaS' : `gateway ${hop.gateway} (${hop.dataPlane})`}, path ${hop.path}`);
    for (const step of hop.steps) lines.push(`   ${step}`);
  });
  if (trace.outcome === 'rejected') {
    lines.push(`=> rejected: ${trace.status} ${trace.reason}`);
  } else if (trace.upstream) {
    const u = trace.upstream;
    lines.push(`=> forwarded to ${u.tls.enabled ? 'https' : 'http'}://${u.host}:${u.port}${u.path}`);
    lines.push(`   TLS: ${u.tls.enabled ? `${u.tls.verification}${u.tls.sni ? `; SNI ${u.tls.sni}` : ''}` : 'none'}`);
    lines.push(`   Host: ${u.hostHeader}`);
    lines.push('   headers reaching the provider:');
    for (const [name, source] of Object.entries(u.headers)) lines.push(`     ${name}: ${source}`);
    lines.push(`   timeouts: ${u.timeouts}`);
  }
  lines.push(trace.limits.length > 0 ? 'limits counting this request:' : 'limits counting this request: none in these manifests');
  for (const limit of trace.limits) lines.push(`   ${describeLimit(limit)}`);
  if (trace.tierMaximum) lines.push(`   across routes: ${trace.tierMaximum}`);
  if (trace.warnings.length > 0) {
    lines.push('warnings:');
    for (const w of trace.warnings) lines.push(`   - ${w}`);
  }
  return `${lines.join('\n')}\n`;
}
