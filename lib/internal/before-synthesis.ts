import type { IConstruct } from 'constructs';

const registered = new WeakMap<IConstruct, Set<(root: IConstruct) => void>>();

/**
 * Makes every synthesis of the app of `scope` (`app.synth()`, `cdk8s synth`,
 * `synthesizeManifests`) call `action` with the app first. Idempotent per app
 * and action. cdk8s has no pre-synthesis hook: validations of the root run
 * before any object is rendered, in every synthesis path, in the order they
 * were added.
 */
export function beforeSynthesis(scope: IConstruct, action: (root: IConstruct) => void): void {
  const root = scope.node.root;
  const actions = registered.get(root) ?? new Set();
  registered.set(root, actions);
  if (actions.has(action)) return;
  actions.add(action);
  root.node.addValidation({
    validate: () => {
      action(root);
      return [];
    },
  });
}
