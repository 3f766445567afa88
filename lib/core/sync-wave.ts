// The apply order of kinds (Argo CD sync waves): read by the output, the checks and the trace.

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
