import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Manifest, manifestsOf } from '../output/manifests';

/** A check over every object an app synthesizes; returns one line per problem. */
export type ManifestCheck = (manifests: readonly Manifest[], root: IConstruct) => string[];

const checksByRoot = new WeakMap<IConstruct, ManifestCheck[]>();

/**
 * Registers `check` to run over the whole app when it is synthesized, as a
 * validation of the root construct, so `app.synth()`, `cdk8s synth` and
 * `npm run synth` all fail on a problem. Idempotent per check.
 */
export function addAppCheck(scope: IConstruct, check: ManifestCheck): void {
  const root = scope.node.root;
  let checks = checksByRoot.get(root);
  if (!checks) {
    const registered: ManifestCheck[] = [];
    checks = registered;
    checksByRoot.set(root, registered);
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
