import { MAAS_DEFAULT_TIER_GROUPS, type TierGroups } from './subscription/tier-groups';
import { GatewayReference } from '../core/gateway-reference';
import { inputError } from '../internal/errors';
import { MAAS_DEFAULT_TIERS, type TierLimit } from '../contracts/tier-limits';
import { DEFAULT_KUADRANT_VERSION, DEFAULT_OPENSHIFT_VERSION } from './tier-based/supported-versions';
import { MaasIdentity } from '../contracts/maas-identity';
import type { IPlatformRealization, IPlatformRealizer } from '../contracts/platform-realization';
import type { SubscriptionPlatformProps } from './subscription/subscription-platform-props';
import { SubscriptionRealization } from './subscription/subscription-realization';
import { resolveSubscriptionSettings } from './subscription/subscription-settings';
import { TierBasedRealization } from './tier-based/tier-based-realization';
import type { IEgressGateway } from '../contracts/egress-gateway';

/** Properties of {@link MaasPlatform.tierBased}. */
export interface TierBasedPlatformProps {
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
  /**
   * The tiers the platform knows, each with the token budget a route gives it
   * when no `ITierTokenBudget` names the tier. Every route policy limits every
   * one of them; a caller with any other tier, or none, is denied.
   * @default the MaaS defaults: free 100, premium 50000, enterprise 100000 tokens per minute
   */
  readonly tiers?: TierLimit[];
  /**
   * Kuadrant release on the cluster (`1.5.2`, `1.4.3`). Releases on which the
   * output would fail open are refused at synth with the reason (before 1.4.2
   * the provider key is added beside the client's token; before 1.3 there is
   * no TokenRateLimitPolicy).
   * @default '1.5.2' (the newest supported)
   */
  readonly kuadrantVersion?: string;
  /**
   * OpenShift release on the cluster (`4.19`, `4.20`, `4.21`), which fixes the
   * Istio that serves the gateways (1.24/1.26, 1.26, 1.27).
   * @default '4.20'
   */
  readonly openShiftVersion?: string;
}

/** Properties of {@link MaasPlatform.custom}. */
export interface CustomPlatformProps {
  /** Name of the platform, a DNS label other than the library's `tier-based` and `subscription-based`. */
  readonly kind: string;
  /** Makes what the platform emits for each egress gateway. */
  readonly realizer: IPlatformRealizer;
  /**
   * The MaaS gateway clients call.
   * @default GatewayReference.maasDefault() (openshift-ingress/maas-default-gateway)
   */
  readonly gateway?: GatewayReference;
}

/**
 * The MaaS installation an app extends, chosen once per app: everything the
 * library assumes about it in one object, and how the constructs' intent
 * becomes the objects that installation consumes.
 */
export class MaasPlatform {
  /** The subscription platform's default tiers as MaaS groups and priorities (free, premium, enterprise). */
  public static readonly DEFAULT_TIER_GROUPS: TierGroups[] = MAAS_DEFAULT_TIER_GROUPS.map((t) => ({ ...t }));

  /**
   * Tier-based MaaS as the proof of concept targeted it: the library emits the
   * data plane, bridge routes, AuthPolicies (token review, tier, key
   * injection), TokenRateLimitPolicies and the external model registry.
   */
  public static tierBased(props: TierBasedPlatformProps = {}): MaasPlatform {
    const settings = {
      gateway: props.gateway ?? GatewayReference.maasDefault(),
      identity: props.identity ?? MaasIdentity.tierBased(),
      apiNamespace: props.apiNamespace ?? 'opendatahub',
      tiers: props.tiers ?? MAAS_DEFAULT_TIERS,
      kuadrantVersion: props.kuadrantVersion ?? DEFAULT_KUADRANT_VERSION,
      openShiftVersion: props.openShiftVersion ?? DEFAULT_OPENSHIFT_VERSION,
    };
    return new MaasPlatform('tier-based', settings.gateway, (egress) => new TierBasedRealization(egress, settings), settings.identity, settings.apiNamespace);
  }

  /**
   * Current MaaS (3.4+, subscriptions): the library emits per provider an
   * `IExternalProvider` and its key Secret (or the ExternalSecret that writes it),
   * per model an `ExternalModel` and `MaaSModelRef`, and per tier a
   * `MaaSSubscription` and `MaaSAuthPolicy`; MaaS creates routes and policies.
   */
  public static subscriptionBased(props: SubscriptionPlatformProps = {}): MaasPlatform {
    const gateway = GatewayReference.maasDefault();
    return new MaasPlatform('subscription-based', gateway,
      (egress) => new SubscriptionRealization(egress, resolveSubscriptionSettings(egress, props), gateway));
  }

  /**
   * A platform of a team's own: `props.realizer` turns the constructs' intent
   * (providers, budgets, shared models, unified endpoints) into the objects
   * that platform consumes, as the library's realizations do.
   */
  public static custom(props: CustomPlatformProps): MaasPlatform {
    const kind = props?.kind;
    return new MaasPlatform(kind, props?.gateway ?? GatewayReference.maasDefault(), (egress) => {
      if (typeof kind !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(kind) || kind.length > 63 || ['tier-based', 'subscription-based'].includes(kind)) {
        throw inputError(egress, 'custom platform kind', kind, 'give a DNS label that is not one of the library\'s platforms (tier-based, subscription-based)');
      }
      if (typeof props.realizer?.realize !== 'function') {
        throw inputError(egress, `realizer of custom platform "${kind}"`, props.realizer, 'give an IPlatformRealizer: an object with realize(egress)');
      }
      return props.realizer.realize(egress);
    });
  }

  /**
   * @param kind name of the platform: `tier-based` or `subscription-based`
   * @param gateway the MaaS gateway clients call
   * @param realizer what the platform emits for one egress gateway
   * @param identity the identity contract, on platforms whose policies the library writes
   * @param apiNamespace namespace of the MaaS API, on platforms where the library writes its registry
   */
  private constructor(
    /** Name of the platform: `tier-based`, `subscription-based`, or a custom platform's kind. */
    public readonly kind: string,
    /** The MaaS gateway. */
    public readonly gateway: GatewayReference,
    private readonly realizer: (egress: IEgressGateway) => IPlatformRealization,
    /**
     * The identity contract of token review, user id and tier.
     * @default none: the platform authenticates by itself
     */
    public readonly identity?: MaasIdentity,
    /**
     * Namespace of the MaaS API.
     * @default none: the platform lists models by itself
     */
    public readonly apiNamespace?: string,
  ) {}

  /** @internal Emits the platform's objects for `egress` and returns what serves its providers, budgets and endpoints. */
  public _realize(egress: IEgressGateway): IPlatformRealization {
    return this.realizer(egress);
  }
}
