import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { beforeSynthesis } from '../internal/before-synthesis';

/** Annotation by which Argo CD applies the objects of one sync in order, lowest wave first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

// Apply order: every kind after what it refers to. Argo CD waits for a wave to
// be healthy before the next; `kubectl apply -k` ignores waves.
const WAVES: Array<[number, string[]]> = [
  [0, ['CustomResourceDefinition', 'Namespace']],
  // identities, classes and what workloads read
  [1, ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'GatewayClass',
    'ClusterSecretStore', 'SecretStore', 'Secret', 'ConfigMap']],
  // Secrets synced from a store, before anything mounts or references them
  [2, ['ExternalSecret']],
  // workloads, gateways and everything a route may point at; and the policies that
  // protect routes, so that no route serves before its authentication and limits
  // (Kuadrant accepts a policy whose target does not exist yet and enforces it
  // once the target appears)
  [3, ['Deployment', 'StatefulSet', 'Service', 'NetworkPolicy', 'Gateway', 'LLMInferenceService',
    'ServiceEntry', 'DestinationRule', 'XBackendDestination', 'Backend', 'ReferenceGrant', 'ExternalProvider',
    'AuthPolicy', 'RateLimitPolicy', 'TokenRateLimitPolicy', 'AuthorizationPolicy', 'RequestAuthentication',
    'PeerAuthentication', 'WasmPlugin']],
  [4, ['HTTPRoute', 'GRPCRoute', 'EnvoyFilter', 'ExternalModel']],
  // what attaches to routes and gateways without guarding them
  [5, ['DNSPolicy', 'TLSPolicy', 'BackendTLSPolicy', 'Telemetry', 'MaaSModelRef']],
  // current MaaS: access and quota name the MaaSModelRefs
  [6, ['MaaSAuthPolicy', 'MaaSSubscription']],
];
const LAST_WAVE = 6;
const WAVE_OF_KIND = new Map(WAVES.flatMap(([wave, kinds]) => kinds.map((kind) => [kind, wave] as const)));

/** The library's sync wave (apply phase) of a kind; unknown kinds go last. */
export function syncWave(kind: string): number {
  return WAVE_OF_KIND.get(kind) ?? LAST_WAVE;
}

/**
 * The wave an object is applied in: its sync-wave annotation when that is an
 * integer, else the wave of its kind.
 */
export function effectiveSyncWave(manifest: { readonly kind: string; readonly metadata?: { readonly [key: string]: unknown } }): number {
  const annotations = manifest.metadata?.annotations as Record<string, unknown> | undefined;
  const value = annotations?.[SYNC_WAVE_ANNOTATION];
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : syncWave(manifest.kind);
}

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
