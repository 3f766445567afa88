import type { IConstruct } from 'constructs';
import type { GatewayReference } from '../core/gateway-reference';
import type { IDataPlaneBinding } from './data-plane-binding';
import type { IExternalProvider } from './external-provider';

/**
 * A data plane: the proxy that carries traffic from the MaaS gateway to the
 * providers of one egress gateway. `EgressDataPlane` gives the library's; a
 * team may implement its own.
 */
export interface IEgressDataPlane {
  /** Name of the plane, e.g. `istio-gateway`. */
  readonly kind: string;
  /** Emits the plane's gateway-level objects under `gateway` and returns what serves its providers. */
  bind(gateway: IEgressGateway): IDataPlaneBinding;
}

/** An egress gateway as data planes and platforms see it (`MaasEgressGateway`). */
export interface IEgressGateway extends IConstruct {
  /** Name of the egress Gateway. */
  readonly gatewayName: string;
  /** Namespace of the egress gateway and, by default, of its providers' objects. */
  readonly namespace: string;
  /** Path prefix of the providers on the MaaS gateway, e.g. `/external/`. */
  readonly pathPrefix: string;
  /** The MaaS gateway that clients call, which this gateway extends. */
  readonly maasGateway: GatewayReference;
  /** The data plane of this gateway. */
  readonly dataPlane: IEgressDataPlane;
  /**
   * Name of the model registry ConfigMap, when one was given.
   * @default the platform's
   */
  readonly registryName?: string;
  /** @internal The providers added so far, in order. */
  readonly _providers: IExternalProvider[];
  /**
   * @internal The data plane as the user gave it.
   * @default undefined: the platform's default plane
   */
  readonly _dataPlaneProp?: IEgressDataPlane;
  /** @internal Calls `listener` for every provider, those added so far and those to come. */
  _onProvider(listener: (provider: IExternalProvider) => void): void;
}
