import { ApiObject, App, Chart } from 'cdk8s';
import { assignSyncWaves } from './sync-waves';
import { takeCheckedManifests } from '../validation/app-checks';

/** A synthesized Kubernetes object. */
export interface Manifest {
  /** API version. */
  readonly apiVersion: string;
  /** Kind. */
  readonly kind: string;
  /** Metadata; `name` is always set, `namespace` for namespaced kinds. */
  readonly metadata: {
    /** Object name. */
    readonly name: string;
    /** Namespace; absent for cluster-scoped kinds. */
    readonly namespace?: string;
    /**
     * Labels, annotations and the other metadata fields.
     * @jsii ignore
     */
    readonly [key: string]: unknown;
  };
  /**
   * Everything else.
   * @jsii ignore
   */
  readonly [key: string]: unknown;
}

/**
 * The objects `app.synth()` would write, after the same validation it runs
 * (so library checks fail here exactly as in `cdk8s synth`), in chart order,
 * every object annotated with its Argo CD sync wave.
 */
export function synthesizeManifests(app: App): Manifest[] {
  assignSyncWaves(app);
  const errors: string[] = [];
  // in cdk8s's order (the root first): the root's app checks hand each problem
  // to the construct of the object it is about, validated after the root
  for (const construct of app.node.findAll()) {
    for (const error of construct.node.validate()) errors.push(`[${construct.node.path}] ${error}`);
  }
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return takeCheckedManifests(app) ?? manifestsOf(app);
}

/**
 * The objects of every chart of `app`, without running validations (unlike
 * `Chart.toJson()`, which validates the whole app each time it is called).
 */
export function manifestsOf(app: App): Manifest[] {
  return apiObjectsOf(app).map((object) => object.toJson() as Manifest);
}

/** The ApiObjects of every chart of `app`, in the order of {@link manifestsOf}. */
export function apiObjectsOf(app: App): ApiObject[] {
  return app.charts.flatMap((chart) => chart.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) === chart));
}

/** `kind namespace/name`, the way errors and reports name an object. */
export function describeManifest(manifest: Manifest): string {
  const ns = manifest.metadata?.namespace;
  return `${manifest.kind} ${ns ? `${ns}/` : ''}${manifest.metadata?.name}`;
}
