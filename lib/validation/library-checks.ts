import type { IConstruct } from 'constructs';
import { describeManifest, type Manifest } from '../core/manifest';
import { addAppCheck, type ManifestCheck } from './app-checks';
import { existingObjects } from './existing-objects';
import { type DeclareHint, declareInApp, integrityProblems } from './integrity';
import { meteringProblems } from './metering-checks';
import { groupOf, type ObjectRef } from '../core/object-index';
import { CrdSchemaValidator } from './schema-validator';

/** No two objects share API group, kind, namespace and name. */
export function duplicateObjectProblems(manifests: readonly Manifest[]): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const manifest of manifests) {
    const key = `${groupOf(manifest.apiVersion)}|${manifest.kind}|${manifest.metadata.namespace ?? ''}|${manifest.metadata.name}`;
    if (seen.has(key)) problems.push(`${describeManifest(manifest)}: defined twice; give each object its own name`);
    seen.add(key);
  }
  return problems;
}

/** Every object of a pinned CRD kind is valid against that CRD's schema. */
export function schemaProblems(manifests: readonly Manifest[]): string[] {
  const validator = CrdSchemaValidator.instance();
  return manifests.flatMap((manifest) =>
    validator.validate(manifest).map((problem) => `${describeManifest(manifest)}: violates its CRD schema at ${problem}`));
}

/**
 * Every check the library performs on a set of manifests: CRD schemas,
 * duplicate objects and cross-object integrity. `existing` names objects that
 * are on the cluster already (e.g. the MaaS gateway).
 */
export function manifestProblems(manifests: readonly Manifest[], existing: readonly ObjectRef[] = []): string[] {
  return checkedProblems(manifests, existing, declareInApp);
}

/** {@link manifestProblems} with `declareHint` saying how to declare an object that is missing (as `npm run validate` does). */
export function checkedProblems(manifests: readonly Manifest[], existing: readonly ObjectRef[], declareHint: DeclareHint): string[] {
  return [...schemaProblems(manifests), ...duplicateObjectProblems(manifests), ...integrityProblems(manifests, existing, declareHint),
    ...meteringProblems(manifests)];
}

const libraryCheck: ManifestCheck<ObjectRef[]> = {
  inputs: (root) => existingObjects(root),
  run: (manifests, existing) => manifestProblems(manifests, existing),
};

/** Registers the library's synth-time checks on the app of `scope` (once per app). */
export function registerLibraryChecks(scope: IConstruct): void {
  addAppCheck(scope, libraryCheck);
}
