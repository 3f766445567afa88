import * as fs from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import type { Manifest } from '../core/manifest';
import { effectiveSyncWave } from '../core/sync-wave';

/**
 * File name of a manifest: sync wave (apply phase), kind, namespace and name,
 * so names never collide and sort in apply order within a wave.
 */
export function manifestFileName(manifest: Manifest): string {
  const scope = manifest.metadata.namespace ?? 'cluster';
  return `${effectiveSyncWave(manifest)}-${manifest.kind.toLowerCase()}-${scope}-${manifest.metadata.name}.yaml`;
}

/** First line of the kustomization.yaml this library writes: how it knows a folder's files are its own. */
export const MANIFEST_FOLDER_MARKER = '# Written by cdk8s-maas-egress Manifests.writeFolder: the files listed below are replaced on every write.';
/** The marker of releases before 0.2, when the function was writeManifestFolder: their folders are recognised too. */
const EARLIER_MARKER = '# Written by cdk8s-maas-egress writeManifestFolder: the files listed below are replaced on every write.';

/**
 * The files an earlier write left in `dir` (those its kustomization.yaml
 * lists, and the kustomization itself), or undefined when `dir` does not hold
 * such a write. Output from before the marker is recognised by its file names.
 */
function filesWrittenBefore(dir: string): string[] | undefined {
  const kustomization = path.join(dir, 'kustomization.yaml');
  if (!fs.existsSync(kustomization)) return undefined;
  const text = fs.readFileSync(kustomization, 'utf8');
  let resources: unknown;
  try {
    resources = parse(text)?.resources;
  } catch {
    return undefined;
  }
  if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string' && !r.includes('/') && !r.startsWith('.'))) return undefined;
  const marked = text.startsWith(MANIFEST_FOLDER_MARKER) || text.startsWith(EARLIER_MARKER);
  if (!marked && !resources.every((r) => /^-?\d+-[a-z0-9]+-[a-z0-9.-]+\.yaml$/.test(r))) return undefined;
  return [...resources as string[], 'kustomization.yaml'];
}

/**
 * Writes one YAML file per manifest into `dir` and a `kustomization.yaml`
 * listing them in apply order, for `kubectl apply -k` and GitOps tools. The
 * files of an earlier write (those its kustomization lists) are removed first;
 * nothing else in `dir` is touched, and a non-empty `dir` that holds no
 * earlier write is refused.
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
  if (fs.existsSync(dir)) {
    const earlier = filesWrittenBefore(dir);
    if (!earlier && fs.readdirSync(dir).length > 0) {
      throw new Error(`Manifests.writeFolder: ${dir} is not empty and holds no earlier output of Manifests.writeFolder (no kustomization.yaml written by it); `
        + 'give an empty or new folder, so that nothing of yours is deleted');
    }
    for (const file of earlier ?? []) fs.rmSync(path.join(dir, file), { force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const { manifest, file } of files) {
    fs.writeFileSync(path.join(dir, file), stringify(manifest, { lineWidth: 0 }));
  }
  const kustomization = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: files.map((f) => f.file),
  };
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `${MANIFEST_FOLDER_MARKER}\n${stringify(kustomization, { lineWidth: 0 })}`);
  return files.map((f) => f.file);
}
