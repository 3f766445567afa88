import type { WgAiGatewayControllerProps } from './wg-ai-gateway/wg-ai-gateway-controller';
import { checkPort } from '../internal/checks';
import { DirectBinding } from './direct-binding';
import { IstioGatewayBinding } from './istio-gateway-binding';
import { WgAiGatewayBinding } from './wg-ai-gateway/wg-ai-gateway-binding';
import type { IDataPlaneBinding } from '../contracts/data-plane-binding';
import type { IEgressDataPlane, IEgressGateway } from '../contracts/egress-gateway';

/** Properties of {@link EgressDataPlane.wgAiGateway}. */
export interface WgAiGatewayPlaneProps {
  /**
   * Port of the Gateway's HTTP listener and of the Envoy Service. The
   * prototype's Envoy cannot bind ports below 1024 under OpenShift's restricted SCC.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Installs the wg-ai-gateway controller and GatewayClass with these settings.
   * @default the controller is expected to be installed already
   */
  readonly controller?: WgAiGatewayControllerProps;
  /**
   * Emits a NetworkPolicy so that only the MaaS gateway pods reach the Envoy,
   * whose Service is unauthenticated and of type LoadBalancer.
   * @default true
   */
  readonly restrictIngress?: boolean;
}

/** Properties of {@link EgressDataPlane.istioGateway}. */
export interface IstioGatewayPlaneProps {
  /**
   * GatewayClass of the egress Gateway: OpenShift's Ingress Operator serves
   * `openshift-default`; a separately installed Istio serves `istio`.
   * @default 'openshift-default'
   */
  readonly gatewayClassName?: string;
  /**
   * Port of the Gateway's HTTP listener and of its Service.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Asks Istio for a ClusterIP Service (annotation
   * `networking.istio.io/service-type`) instead of a LoadBalancer.
   * @default true
   */
  readonly clusterIpService?: boolean;
}

/**
 * The proxy that carries traffic from the MaaS gateway to providers; chosen
 * once per {@link IEgressGateway}. Providers, credentials, budgets and the
 * unified endpoint are the same on every plane.
 */
export class EgressDataPlane implements IEgressDataPlane {
  /**
   * The proof of concept's plane: a second gateway run by the wg-ai-gateway
   * prototype controller. Fixed 15 s idle timeout, TLS needs a CA bundle Secret
   * and a controller image built at 548475f or later.
   */
  public static wgAiGateway(props: WgAiGatewayPlaneProps = {}): EgressDataPlane {
    return new EgressDataPlane('wg-ai-gateway', (gateway) => new WgAiGatewayBinding(gateway, {
      port: checkPort(gateway, 'wg-ai-gateway listener port', props.port ?? 8080),
      controller: props.controller,
      restrictIngress: props.restrictIngress ?? true,
    }));
  }

  /**
   * A dedicated egress Gateway served by OpenShift's Istio, fenced so that only
   * the MaaS gateway reaches it; TLS checked by chain and name against the
   * system trust store; route timeouts honoured. Serves a unified endpoint.
   */
  public static istioGateway(props: IstioGatewayPlaneProps = {}): EgressDataPlane {
    return new EgressDataPlane('istio-gateway', (gateway) => new IstioGatewayBinding(gateway, {
      gatewayClassName: props.gatewayClassName ?? 'openshift-default',
      port: checkPort(gateway, 'Istio gateway listener port', props.port ?? 8080),
      clusterIpService: props.clusterIpService ?? true,
    }));
  }

  /**
   * Single hop: provider routes on the MaaS gateway itself, to the provider's
   * host through a ServiceEntry (as current MaaS does). No second gateway;
   * cannot serve a unified endpoint.
   */
  public static direct(): EgressDataPlane {
    return new EgressDataPlane('direct', (gateway) => new DirectBinding(gateway));
  }

  private constructor(
    /** Name of the plane: `wg-ai-gateway`, `istio-gateway` or `direct`. */
    public readonly kind: string,
    private readonly binder: (gateway: IEgressGateway) => IDataPlaneBinding,
  ) {}

  /** Emits the plane's gateway-level objects for `gateway` and returns what serves its providers. */
  public bind(gateway: IEgressGateway): IDataPlaneBinding {
    return this.binder(gateway);
  }
}
