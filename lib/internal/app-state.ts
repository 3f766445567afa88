import type { IConstruct } from 'constructs';

/**
 * Per-app state: one value per app (the root of `scope`), created by `init`
 * the first time it is asked for. Constructs use it to share what must be
 * unique across an app (emitted namespaces, claimed tiers, the registry).
 */
export class AppState<T> {
  private readonly byRoot = new WeakMap<IConstruct, T>();

  constructor(private readonly init: () => T) {}

  /** The state of the app of `scope`. */
  public of(scope: IConstruct): T {
    const root = scope.node.root;
    let state = this.byRoot.get(root);
    if (state === undefined) {
      state = this.init();
      this.byRoot.set(root, state);
    }
    return state;
  }

  /** The state of the app of `scope`, if it was ever created. */
  public peek(scope: IConstruct): T | undefined {
    return this.byRoot.get(scope.node.root);
  }
}
