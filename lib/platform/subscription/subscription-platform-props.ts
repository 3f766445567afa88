import { SecretStoreRef } from '../../credentials/store-token-external-secret';
import type { MaasMetering, TierGroups } from './tier-groups';

/** Properties of `MaasPlatform.subscriptionBased`. */
export interface SubscriptionPlatformProps {
  /**
   * The MaaS release on the cluster (with the payload processor build it deploys): what the
   * output may use and what is refused follow it (docs/current-maas.md).
   * @default 'odh-2.0'
   */
  readonly release?: string;
  /**
   * How the tiers named by token budgets map to groups and subscription priorities.
   * @default MAAS_DEFAULT_TIER_GROUPS (free: system:authenticated; premium; enterprise)
   */
  readonly tiers?: TierGroups[];
  /**
   * The MaaS tenant the models are offered in. MaaS serves external models to its default tenant only.
   * @default 'models-as-a-service' (the default tenant)
   */
  readonly tenant?: string;
  /**
   * Namespace of MaaSAuthPolicies and MaaSSubscriptions (maas-controller's `--maas-subscription-namespace`).
   * @default 'models-as-a-service'
   */
  readonly subscriptionNamespace?: string;
  /**
   * External Secrets store that `ProviderCredential.fromVault` keys are read through into the
   * labelled Secrets the payload processor reads (a store whose Vault `path` is the KV mount).
   * @default none: `fromVault` credentials are rejected
   */
  readonly keyStore?: SecretStoreRef;
  /**
   * Whether response translation is enabled in the payload processor (hand-edited ConfigMap
   * `payload-processing-plugins`); needed by `MaasProviderType.ANTHROPIC` (native Messages API).
   * @default false: Anthropic-type providers are rejected
   */
  readonly responseTranslation?: boolean;
  /**
   * Cost attribution written to every MaaSSubscription (`tokenMetadata`) and MaaSAuthPolicy
   * (`meteringMetadata`); a tier's own `metering` overrides it field by field (labels merged).
   * @default none
   */
  readonly metering?: MaasMetering;
  /**
   * Cost per token by model id (a decimal such as `"0.0000025"`), written as `billingRate.perToken`
   * of every subscription entry of that model. Attribution only: MaaS limits tokens, not spend.
   * @default none
   */
  readonly billingRates?: Record<string, string>;
  /**
   * Labels put on the models' namespace (the gateway's) when the app creates it. MaaS's
   * gateway admits HTTPRoutes only from namespaces it allows (`from: Same` or a label
   * selector), and the payload processor creates each model's HTTPRoute there; `{}` omits them.
   * @default { 'maas.opendatahub.io/gateway-access': 'true' }
   */
  readonly modelNamespaceLabels?: Record<string, string>;
}
