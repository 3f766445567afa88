import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from '../core/manifest';

/** What {@link readManifestFolder} found. */
export interface ManifestFolder {
  /** Every Kubernetes object, in file order. */
  readonly manifests: Manifest[];
  /** YAML files read (kustomization.yaml excepted). */
  readonly files: number;
  /** One line per file that is not valid YAML or holds something other than a Kubernetes object. */
  readonly problems: string[];
}

/**
 * Reads every `*.yaml`/`*.yml` under `dir` (recursively, sorted by name;
 * `kustomization.yaml` is skipped), as `npm run synth` writes them or as a
 * user's own output has them.
 */
export function readManifestFolder(dir: string): ManifestFolder {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`no such folder: ${dir}`);
  return readManifestFiles(yamlFiles(dir));
}

/** Reads the Kubernetes objects of the given YAML files, in order. */
export function readManifestFiles(files: readonly string[]): ManifestFolder {
  const manifests: Manifest[] = [];
  const problems: string[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) problems.push(`${file}: not valid YAML: ${doc.errors[0].message}`);
      const value = doc.toJS();
      if (!value) continue;
      if (!value.apiVersion || !value.kind || !value.metadata || !value.metadata.name) {
        problems.push(`${file}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
        continue;
      }
      manifests.push(value);
    }
  }
  return { manifests, files: files.length, problems };
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/.test(entry.name) && entry.name !== 'kustomization.yaml' ? [full] : [];
    });
}
