import type { IConstruct } from 'constructs';

/** One model in the registry that the MaaS API merges into `/v1/models`. */
export interface RegisteredModel {
  /** Model id as clients send it in `model`. */
  readonly id: string;
  /** Provider name, shown as `owned_by`. */
  readonly provider: string;
  /** Name of the object that serves the model (XBackendDestination or ServiceEntry). */
  readonly backend: string;
}

/** The model listing a platform writes for the MaaS API (`ExternalModelRegistry` on tier-based MaaS). */
export interface IModelRegistry extends IConstruct {
  /** Name of the object the MaaS API reads. */
  readonly name: string;
  /** Namespace of that object. */
  readonly namespace: string;
  /** The registered models, in the order they were added. */
  readonly models: RegisteredModel[];
}
