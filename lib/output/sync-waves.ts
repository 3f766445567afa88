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
/** Per chart, the object that comes last in the order made so far. */
const tails = new WeakMap<Chart, ApiObject>();

/**
 * Orders every object after the objects of the waves before its own, so that
 * cdk8s, which writes a chart's objects in dependency order, writes a single
 * file in apply order too (Namespaces and CRDs first): `kubectl apply -f` of
 * `cdk8s synth`'s output then never meets an object before its Namespace.
 *
 * The dependencies form a tree, one edge per object: the last object of each
 * wave depends on the last object of the wave before and on the other objects
 * of its wave, in order. cdk8s writes a post-order walk of the dependencies and
 * walks a shared dependency once per dependant, so an edge from every object
 * to every object of the wave before would cost the product of the waves'
 * sizes (seconds at a thousand providers); the tree writes the same order in
 * one walk. Objects first seen at a later synthesis come after the earlier ones.
 */
function orderByWave(scope: IConstruct): void {
  // within a chart only: cdk8s turns an object's dependency on another chart into a dependency between the charts
  const charts = new Map<Chart, Map<number, ApiObject[]>>();
  for (const object of scope.node.root.node.findAll()) {
    if (!(object instanceof ApiObject) || ordered.has(object)) continue;
    ordered.add(object);
    const chart = Chart.of(object);
    const byWave = charts.get(chart) ?? new Map<number, ApiObject[]>();
    charts.set(chart, byWave);
    const wave = effectiveSyncWave({ kind: object.kind, metadata: object.metadata.toJson() });
    byWave.set(wave, [...(byWave.get(wave) ?? []), object]);
  }
  for (const [chart, byWave] of charts) {
    let tail = tails.get(chart);
    for (const wave of [...byWave.keys()].sort((a, b) => a - b)) {
      const objects = byWave.get(wave)!;
      const last = objects[objects.length - 1];
      for (const before of [...(tail ? [tail] : []), ...objects.slice(0, -1)]) last.node.addDependency(before);
      tail = last;
    }
    tails.set(chart, tail!);
  }
}

/**
 * Makes every synthesis of the app of `scope` (`app.synth()`, `cdk8s synth`,
 * `synthesizeManifests`) assign sync waves first. Idempotent per app.
 */
export function registerSyncWaves(scope: IConstruct): void {
  beforeSynthesis(scope, assignSyncWaves);
}
