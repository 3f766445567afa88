import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { Manifest } from './manifests';
import { effectiveSyncWave } from './sync-waves';

/**
 * File name of a manifest: sync wave (apply phase), kind, namespace and name,
 * so names never collide and sort in apply order within a wave.
 */
export function manifestFileName(manifest: Manifest): string {
  const scope = manifest.metadata.namespace ?? 'cluster';
  return `${effectiveSyncWave(manifest)}-${manifest.kind.toLowerCase()}-${scope}-${manifest.metadata.name}.yaml`;
}

/**
 * Replaces `dir` with one YAML file per manifest and a `kustomization.yaml`
 * listing them in apply order, for `kubectl apply -k` and GitOps tools.
 */
export function writeManifestFolder(dir: string, manifests: readonly Manifest[]): string[] {
  const files = manifests.map((manifest) => ({ manifest, wave: effectiveSyncWave(manifest), file: manifestFileName(manifest) }));
  // by wave as a number (user waves may be negative or above 9), then by name
  files.sort((a, b) => a.wave - b.wave || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
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
