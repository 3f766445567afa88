import { ApiObject, App, Chart } from 'cdk8s';

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
