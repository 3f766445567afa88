import { GatewayReference } from './gateway-reference';
import { MaasIdentity } from './maas-identity';

/** Properties of {@link MaasPlatform}. */
export interface MaasPlatformProps {
  /**
   * The MaaS gateway that clients call and that bridges to the egress gateway.
   * @default GatewayReference.maasDefault() (openshift-ingress/maas-default-gateway)
   */
  readonly gateway?: GatewayReference;
  /**
   * How MaaS tokens are authenticated and how user id and tier are derived.
   * @default MaasIdentity.tierBased()
   */
  readonly identity?: MaasIdentity;
  /**
   * Namespace of the MaaS API, where it reads the external model registry.
   * @default 'opendatahub'
   */
  readonly apiNamespace?: string;
}

/**
 * Everything this library assumes about the MaaS installation it extends, in
 * one place, so following a newer MaaS release means changing one object.
 */
export class MaasPlatform {
  /** Tier-based MaaS as the proof of concept targeted it. */
  public static tierBased(props: MaasPlatformProps = {}): MaasPlatform {
    return new MaasPlatform(props);
  }

  /** The MaaS gateway. */
  public readonly gateway: GatewayReference;
  /** The identity contract. */
  public readonly identity: MaasIdentity;
  /** Namespace of the MaaS API. */
  public readonly apiNamespace: string;

  private constructor(props: MaasPlatformProps) {
    this.gateway = props.gateway ?? GatewayReference.maasDefault();
    this.identity = props.identity ?? MaasIdentity.tierBased();
    this.apiNamespace = props.apiNamespace ?? 'opendatahub';
  }
}
