import { ApiObject, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { effectiveSyncWave, SYNC_WAVE_ANNOTATION, syncWave } from '../core/sync-wave';
import { beforeSynthesis } from '../internal/before-synthesis';

const annotated = new WeakSet<ApiObject>();

/**
 * Annotates every object of the app of `scope` with the sync wave of its kind,
 * except objects that carry a sync wave already (set by the user). Idempotent.
 */
export function assignSyncWaves(scope: IConstruct): void {
  for (const construct of scope.node.root.node.findAll()) {
    if (!(construct instanceof ApiObject) || annotated.has(construct)) continue;
    annotated.add(construct);
    if (construct.metadata.toJson().annotations?.[SYNC_WAVE_ANNOTATION] === undefined) {
      construct.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(syncWave(construct.kind)));
    }
  }
  orderByWave(scope);
}

const ordered = new WeakSet<ApiObject>();

/**
 * Makes every object depend on the objects of the wave before its own, so that
 * cdk8s, which writes a chart's objects in dependency order, writes a single
 * file in apply order too (Namespaces and CRDs first): `kubectl apply -f` of
 * `cdk8s synth`'s output then never meets an object before its Namespace.
 */
function orderByWave(scope: IConstruct): void {
  // within a chart only: cdk8s turns an object's dependency on another chart into a dependency between the charts
  const charts = new Map<Chart, Map<number, ApiObject[]>>();
  for (const object of scope.node.root.node.findAll()) {
    if (!(object instanceof ApiObject)) continue;
    const byWave = charts.get(Chart.of(object)) ?? new Map<number, ApiObject[]>();
    charts.set(Chart.of(object), byWave);
    const wave = effectiveSyncWave({ kind: object.kind, metadata: object.metadata.toJson() });
    byWave.set(wave, [...(byWave.get(wave) ?? []), object]);
  }
  for (const byWave of charts.values()) {
    const waves = [...byWave.keys()].sort((a, b) => a - b);
    for (let i = 1; i < waves.length; i++) {
      for (const object of byWave.get(waves[i])!) {
        if (ordered.has(object)) continue;
        ordered.add(object);
        for (const other of byWave.get(waves[i - 1])!) object.node.addDependency(other);
      }
    }
  }
}

/**
 * Makes every synthesis of the app of `scope` (`app.synth()`, `cdk8s synth`,
 * `synthesizeManifests`) assign sync waves first. Idempotent per app.
 */
export function registerSyncWaves(scope: IConstruct): void {
  beforeSynthesis(scope, assignSyncWaves);
}
