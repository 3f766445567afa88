import type { IExternalProvider } from './external-provider';

/** One provider serving a model that several providers serve. */
export interface ModelRoute {
  /** A provider added to the same gateway. */
  readonly provider: IExternalProvider;
  /**
   * Model id at that provider.
   * @default the client-facing model id
   */
  readonly targetModel?: string;
  /**
   * Relative share of requests sent to this provider: 0 (none) to 100.
   * @default 1
   */
  readonly weight?: number;
}

/** Options of a model served by several providers, for `MaasEgressGateway.addModel`. */
export interface SharedModelOptions {
  /** The providers that serve the model (1 to 7 on current MaaS), each with its weight. */
  readonly routes: ModelRoute[];
  /**
   * Name MaaS shows for the model in `/v1/models` (MaaSModelRef annotation `openshift.io/display-name`).
   * @default none: MaaS shows the model id
   */
  readonly displayName?: string;
}
