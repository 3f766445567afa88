import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { describeManifest, Manifest, manifestsOf } from '../output/manifests';
import { CrdSchemaValidator } from './schema-validator';

/** A check over every object an app synthesizes; returns one line per problem. */
export type ManifestCheck = (manifests: readonly Manifest[], scope: IConstruct) => string[];

const checksByRoot = new WeakMap<IConstruct, ManifestCheck[]>();

/**
 * Registers `check` to run over the whole app when it is synthesized (as a
 * validation of the root construct, so `app.synth()` and `cdk8s synth` fail on
 * a problem). Schema validation is always registered first. Idempotent per check.
 */
export function addAppCheck(scope: IConstruct, check: ManifestCheck): void {
  const root = scope.node.root;
  let checks = checksByRoot.get(root);
  if (!checks) {
    checks = [schemaCheck];
    checksByRoot.set(root, checks);
    const registered = checks;
    root.node.addValidation({
      validate: () => {
        if (!(root instanceof App)) return [];
        const manifests = manifestsOf(root);
        return registered.flatMap((c) => c(manifests, root));
      },
    });
  }
  if (!checks.includes(check)) checks.push(check);
}

/** Every object of a pinned CRD kind is valid against that CRD's schema. */
export const schemaCheck: ManifestCheck = (manifests) => {
  const validator = CrdSchemaValidator.instance();
  return manifests.flatMap((manifest) =>
    validator.validate(manifest).map((problem) => `${describeManifest(manifest)} violates its CRD schema at ${problem}`));
};
