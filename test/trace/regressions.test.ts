import { Manifest } from '../../lib/core/manifest';
import { diffOutputs } from '../../lib/trace/differ';
import { ManifestSet } from '../../lib/trace/manifest-set';
import { currentMaas, istioEgressPlane, setOf } from './plane-fixtures';
import { distSet, trace } from './trace-helpers';

// Each test closes one class of trace/diff bug with the shape real output has:
// it fails when the trace stops doing what the consumer does.

const FREE = { user: 'alice', tier: 'free' };
const withSpec = (m: any, spec: any): Manifest => ({ ...m, spec: { ...m.spec, ...spec } });

describe('trace regressions', () => {
  test('a model router whose priority does not put it after Kuadrant\'s filter is warned about; one above 0 is not', () => {
    const set = distSet('unified-endpoint');
    const request = { ...FREE, bodyText: '{"model":"gpt-4","messages":[]}' };
    const ok = trace(set, 'POST', '/v1/chat/completions', request);
    expect(ok.warnings.join('\n')).not.toMatch(/no positive priority/);
    for (const priority of [0, -5, undefined]) {
      const lowered = new ManifestSet(set.manifests.map((m: any) => m.kind === 'EnvoyFilter' && m.metadata.name.endsWith('model-router')
        ? withSpec(m, { priority }) : m));
      expect(trace(lowered, 'POST', '/v1/chat/completions', request).warnings.join('\n')).toMatch(/model-router has no positive priority: it must run after Kuadrant's wasm filter/);
    }
  });

  test('a limit\'s own when adds to the policy-level when, it does not replace it', () => {
    const gated = istioEgressPlane().map((m: any) => m.kind === 'TokenRateLimitPolicy'
      ? withSpec(m, { when: [{ predicate: 'request.method == "GET"' }] }) : m);
    // POST: the policy-level predicate fails, so no limit applies even though the tier's own predicate holds
    expect(trace(setOf(gated), 'POST', '/external/openai/v1/chat/completions', FREE).limits).toEqual([]);
    expect(trace(setOf(gated), 'GET', '/external/openai/v1/models', FREE).limits.map((l) => `${l.name} ${l.amount}`)).toEqual(['free-tokens 100']);
  });

  test('on current MaaS the caller\'s highest-priority subscription applies, whichever order the objects come in', () => {
    const extra = (name: string, priority: number, limit: number): Manifest => ({
      apiVersion: 'maas.opendatahub.io/v1alpha1', kind: 'MaaSSubscription', metadata: { name, namespace: 'models-as-a-service' },
      spec: { owner: { groups: [{ name: 'premium-users' }] }, priority, modelRefs: [{ name: 'claude', namespace: 'llm', tokenRateLimits: [{ limit, window: '1h' }] }] },
    } as Manifest);
    const body = '{"model":"claude","messages":[]}';
    for (const order of [[extra('low', 1, 10), extra('high', 99, 777)], [extra('high', 99, 777), extra('low', 1, 10)]]) {
      const t = trace(setOf(currentMaas(), order), 'POST', '/v1/chat/completions', { user: 'carol', groups: ['premium-users'], bodyText: body });
      expect(t.limits.map((l) => `${l.policy} ${l.amount}`)).toEqual(['models-as-a-service/high 777']);
    }
  });

  test('a ServiceEntry exported only to its own namespace is invisible to a route in another one', () => {
    const moved = istioEgressPlane().map((m: any) => m.kind === 'ServiceEntry' ? { ...m, metadata: { ...m.metadata, namespace: 'elsewhere' }, spec: { ...m.spec, exportTo: ['.'] } } : m);
    expect(trace(setOf(moved), 'POST', '/external/openai/v1/chat/completions', FREE)).toMatchObject({ outcome: 'rejected', status: 500 });
    const everywhere = moved.map((m: any) => m.kind === 'ServiceEntry' ? withSpec(m, { exportTo: ['*'] }) : m);
    expect(trace(setOf(everywhere), 'POST', '/external/openai/v1/chat/completions', FREE).outcome).toBe('forwarded');
  });
});

describe('diff regressions', () => {
  test('TLS that drops to insecureSkipVerify is a change of meaning', () => {
    const before = setOf(istioEgressPlane());
    const after = setOf(istioEgressPlane({ mode: 'SIMPLE', insecureSkipVerify: true }));
    const diff = diffOutputs(before, after);
    expect(diff.changed).toBe(true);
    expect(diff.subjects.flatMap((s) => s.changes.map((c) => c.aspect))).toContain('tls');
  });
});
