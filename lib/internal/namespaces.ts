import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';

const emitted = new WeakMap<IConstruct, Set<string>>();

/**
 * Adds a Namespace object for `name` to the chart of `scope` unless some chart
 * of the same app did already, so constructs that share a namespace emit it once.
 */
export function ensureNamespace(scope: IConstruct, name: string): void {
  const root = scope.node.root;
  const names = emitted.get(root) ?? new Set<string>();
  emitted.set(root, names);
  if (names.has(name)) return;
  names.add(name);
  new k8s.KubeNamespace(Chart.of(scope), `Namespace-${name}`, { metadata: { name } });
}
