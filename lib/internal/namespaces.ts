import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { AppState } from './app-state';

const emitted = new AppState(() => new Set<string>());

/**
 * Adds a Namespace object for `name` to the chart of `scope` unless some chart
 * of the same app did already, so constructs that share a namespace emit it once.
 */
export function ensureNamespace(scope: IConstruct, name: string): void {
  const names = emitted.of(scope);
  if (names.has(name)) return;
  names.add(name);
  new k8s.KubeNamespace(Chart.of(scope), `Namespace-${name}`, { metadata: { name } });
}
