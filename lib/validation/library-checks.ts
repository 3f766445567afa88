import { IConstruct } from 'constructs';
import { addAppCheck, ManifestCheck } from './app-checks';
import { describeManifest } from '../output/manifests';

/** No two objects share apiVersion group, kind, namespace and name. */
export const uniqueObjectsCheck: ManifestCheck = (manifests) => {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const manifest of manifests) {
    const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
    const key = `${group}|${manifest.kind}|${manifest.metadata.namespace ?? ''}|${manifest.metadata.name}`;
    if (seen.has(key)) problems.push(`${describeManifest(manifest)} is defined twice; give each object its own name`);
    seen.add(key);
  }
  return problems;
};

/** Registers every synth-time check of the library on the app of `scope`. */
export function registerLibraryChecks(scope: IConstruct): void {
  addAppCheck(scope, uniqueObjectsCheck);
}
