import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { Manifest } from './manifests';

// Apply order: what others depend on first. Kinds not listed go last but one.
const PHASES: Array<[number, string[]]> = [
  [0, ['Namespace']],
  [1, ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'GatewayClass', 'Secret', 'ExternalSecret']],
  [2, ['ConfigMap', 'Deployment', 'Service', 'NetworkPolicy', 'Gateway', 'LLMInferenceService', 'ServiceEntry', 'DestinationRule']],
  [3, ['XBackendDestination', 'Backend', 'ReferenceGrant', 'HTTPRoute', 'EnvoyFilter']],
  [4, ['AuthPolicy', 'RateLimitPolicy', 'TokenRateLimitPolicy']],
];
const LAST_PHASE = 5;

/** Apply phase of a kind (0 first); also used as the Argo CD sync wave. */
export function applyPhase(kind: string): number {
  return PHASES.find(([, kinds]) => kinds.includes(kind))?.[0] ?? LAST_PHASE;
}

/** File name of a manifest: phase, kind, namespace and name, so names never collide. */
export function manifestFileName(manifest: Manifest): string {
  const scope = manifest.metadata.namespace ?? 'cluster';
  return `${applyPhase(manifest.kind)}-${manifest.kind.toLowerCase()}-${scope}-${manifest.metadata.name}.yaml`;
}

/**
 * Replaces `dir` with one YAML file per manifest and a `kustomization.yaml`
 * listing them in apply order, for `kubectl apply -k` and GitOps tools.
 */
export function writeManifestFolder(dir: string, manifests: readonly Manifest[]): string[] {
  const files = manifests.map((manifest) => ({ manifest, file: manifestFileName(manifest) }));
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (let i = 1; i < files.length; i++) {
    if (files[i].file === files[i - 1].file) {
      throw new Error(`two objects would be written to ${files[i].file}: every kind, namespace and name must be unique`);
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const { manifest, file } of files) {
    fs.writeFileSync(path.join(dir, file), stringify(manifest, { lineWidth: 0 }));
  }
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: files.map((f) => f.file),
  };
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), stringify(kustomization, { lineWidth: 0 }));
  return files.map((f) => f.file);
}
