import { describeLimit } from './limit-evaluation';
import { ManifestSet, objectName } from './manifest-set';
import { modelListing } from './model-listing';
import { callersOf, type Probe, probeRequest, probesOf } from './probes';
import { traceRequest } from './tracer';
import type { TraceResult } from './trace-result';

/** One difference in what a request does. */
export interface MeaningChange {
  /**
   * `reachability`, `upstream`, `tls`, `host`, `headers` (key sources), `limits`,
   * `scope` (a tier's maximum across routes) or `listing` (the model's entry in `/v1/models`).
   */
  readonly aspect: string;
  /** The caller it concerns (`tier free`, `no token`, ...); absent when the same for every caller. */
  readonly caller?: string;
  readonly old: string;
  readonly new: string;
}

/** What changed for one provider, model or path. */
export interface SubjectDiff {
  /** E.g. `provider openai`, `model gpt-4`, `listed model gpt-4` (its `/v1/models` entry). */
  readonly subject: string;
  /** The request traced, e.g. `POST /external/openai/v1/chat/completions`. */
  readonly request: string;
  /** `added`: only the new output serves it; `removed`: only the old one; `changed`. */
  readonly status: 'added' | 'removed' | 'changed';
  readonly changes: readonly MeaningChange[];
}

/** Result of `maas-egress diff`. */
export interface OutputDiff {
  /** True when any request behaves differently. */
  readonly changed: boolean;
  readonly subjects: readonly SubjectDiff[];
  /** Objects added, removed or changed (`Kind namespace/name`). */
  readonly objectChanges: ReadonlyArray<{ readonly object: string; readonly change: 'added' | 'removed' | 'changed' }>;
  /** Of those, the ones no traced request reads in a way that changed: their change has no effect on any request. */
  readonly withoutEffect: readonly string[];
}

/** The comparable meaning of a trace, aspect by aspect. */
function meaning(trace: TraceResult): Record<string, string> {
  const u = trace.upstream;
  const reach = trace.outcome === 'forwarded' ? 'forwarded' : `rejected ${trace.status} (${trace.reason})`;
  return {
    reachability: reach,
    upstream: u ? `${u.host}:${u.port}${u.path} via ${u.backend}` : '-',
    tls: u ? (u.tls.enabled ? u.tls.verification : 'none') : '-',
    host: u ? u.hostHeader : '-',
    headers: u ? Object.entries(u.headers).map(([n, s]) => `${n}: ${s}`).join('; ') : '-',
    limits: trace.limits.length > 0 ? trace.limits.map(describeLimit).sort().join('; ') : 'none',
    scope: trace.tierMaximum ?? '-',
  };
}

const CALLER_INDEPENDENT = ['upstream', 'tls', 'host', 'headers'];

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function objectChanges(before: ManifestSet, after: ManifestSet): OutputDiff['objectChanges'] {
  const index = (set: ManifestSet) => new Map(set.manifests.map((m) => [objectName(m), stable({ ...m, metadata: { ...m.metadata } })]));
  const a = index(before);
  const b = index(after);
  const changes: Array<{ object: string; change: 'added' | 'removed' | 'changed' }> = [];
  for (const [name, text] of a) {
    if (!b.has(name)) changes.push({ object: name, change: 'removed' });
    else if (b.get(name) !== text) changes.push({ object: name, change: 'changed' });
  }
  for (const name of b.keys()) if (!a.has(name)) changes.push({ object: name, change: 'added' });
  return changes.sort((x, y) => (x.object < y.object ? -1 : x.object > y.object ? 1 : 0));
}

/**
 * Compares what two outputs do rather than their text: every provider, model
 * and path of either output is traced in both, as every caller (no token,
 * each tier, each MaaS group), and the differences in reachability,
 * upstream, TLS, key sources and limits are reported.
 */
export function diffOutputs(before: ManifestSet, after: ManifestSet): OutputDiff {
  const oldProbes = probesOf(before);
  const newProbes = probesOf(after);
  const subjects = [...new Set([...oldProbes, ...newProbes].map((p) => p.subject))].sort();
  const callers = callersOf([before, after]);
  const effective = new Set<string>();
  const diffs: SubjectDiff[] = [];
  for (const subject of subjects) {
    const probe: Probe = newProbes.find((p) => p.subject === subject) ?? oldProbes.find((p) => p.subject === subject)!;
    const changes: MeaningChange[] = [];
    const shared = new Map<string, MeaningChange>();
    for (const caller of callers) {
      const options = probeRequest(probe, caller);
      const t0 = traceRequest(before, options);
      const t1 = traceRequest(after, options);
      const m0 = meaning(t0);
      const m1 = meaning(t1);
      let differs = false;
      for (const aspect of Object.keys(m0)) {
        if (m0[aspect] === m1[aspect]) continue;
        differs = true;
        // upstream facts are reported once, from the first caller forwarded in either output, not per caller
        if (CALLER_INDEPENDENT.includes(aspect) && (t0.outcome === 'forwarded' || t1.outcome === 'forwarded')) {
          if (!shared.has(aspect)) shared.set(aspect, { aspect, old: m0[aspect], new: m1[aspect] });
        } else if (!CALLER_INDEPENDENT.includes(aspect)) {
          changes.push({ aspect, caller: caller.label, old: m0[aspect], new: m1[aspect] });
        }
      }
      if (differs) for (const o of [...t0.objects, ...t1.objects]) effective.add(o);
    }
    changes.unshift(...shared.values());
    const inOld = oldProbes.some((p) => p.subject === subject);
    const inNew = newProbes.some((p) => p.subject === subject);
    const status = !inOld ? 'added' : !inNew ? 'removed' : 'changed';
    if (changes.length > 0 || status !== 'changed') {
      diffs.push({ subject, request: `${probe.method} ${probe.path}${probe.body ? ` ${probe.body}` : ''}`, status, changes });
    }
  }
  diffs.push(...listingDiffs(before, after, effective));
  const objects = objectChanges(before, after);
  const withoutEffect = objects.filter((o) => !effective.has(o.object)).map((o) => o.object);
  return { changed: diffs.length > 0, subjects: diffs, objectChanges: objects, withoutEffect };
}

/** A model whose `/v1/models` entry appears, disappears or changes: what clients see listed changed, even where no route did. */
function listingDiffs(before: ManifestSet, after: ManifestSet, effective: Set<string>): SubjectDiff[] {
  const old = modelListing(before);
  const now = modelListing(after);
  const ids = [...new Set([...old.keys(), ...now.keys()])].sort();
  return ids.flatMap((id): SubjectDiff[] => {
    const o = old.get(id);
    const n = now.get(id);
    if (o?.text === n?.text) return [];
    for (const source of [...(o?.sources ?? []), ...(n?.sources ?? [])]) effective.add(source);
    return [{
      subject: `listed model ${id}`,
      request: 'GET /v1/models',
      status: !o ? 'added' : !n ? 'removed' : 'changed',
      changes: [{ aspect: 'listing', old: o?.text ?? 'not listed', new: n?.text ?? 'not listed' }],
    }];
  });
}
