/** Properties of {@link GatewayReference}. */
export interface GatewayReferenceProps {
  /** Name of the Gateway. */
  readonly name: string;
  /** Namespace of the Gateway. */
  readonly namespace: string;
  /**
   * Labels that select the Gateway's proxy pods (for network policies and
   * Istio EnvoyFilters).
   * @default { 'gateway.networking.k8s.io/gateway-name': <name> } (Istio's automated deployment)
   */
  readonly podLabels?: Record<string, string>;
}

/**
 * A Gateway API Gateway that exists on the cluster but is not synthesized by
 * this app, such as the MaaS gateway that MaaS installs.
 */
export class GatewayReference {
  /** The Gateway that tier-based MaaS installs: `openshift-ingress/maas-default-gateway`. */
  public static maasDefault(): GatewayReference {
    return new GatewayReference({ name: 'maas-default-gateway', namespace: 'openshift-ingress' });
  }

  /** Any existing Gateway. */
  public static of(props: GatewayReferenceProps): GatewayReference {
    return new GatewayReference(props);
  }

  /** Name of the Gateway. */
  public readonly name: string;
  /** Namespace of the Gateway. */
  public readonly namespace: string;
  /** Labels of the Gateway's proxy pods. */
  public readonly podLabels: Record<string, string>;

  private constructor(props: GatewayReferenceProps) {
    this.name = props.name;
    this.namespace = props.namespace;
    this.podLabels = { ...(props.podLabels ?? { 'gateway.networking.k8s.io/gateway-name': props.name }) };
  }
}
