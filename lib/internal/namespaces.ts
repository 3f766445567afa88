import { Chart } from 'cdk8s';
import { KubeNamespace } from './kube-objects';
import type { IConstruct } from 'constructs';
import { AppState } from './app-state';

const emitted = new AppState(() => new Map<string, KubeNamespace>());

/**
 * Adds a Namespace object for `name` to the chart of `scope` unless some chart
 * of the same app did already, so constructs that share a namespace emit it once.
 */
export function ensureNamespace(scope: IConstruct, name: string): KubeNamespace {
  const namespaces = emitted.of(scope);
  let namespace = namespaces.get(name);
  if (!namespace) {
    namespace = new KubeNamespace(Chart.of(scope), `Namespace-${name}`, { metadata: { name } });
    namespaces.set(name, namespace);
  }
  return namespace;
}

/** The Namespace object this app emits for `name`, if any. */
export function emittedNamespace(scope: IConstruct, name: string): KubeNamespace | undefined {
  return emitted.of(scope).get(name);
}
