import { IConstruct } from 'constructs';
import { SecretStoreRef } from '../../credentials/store-token-external-secret';
import { checkDnsLabel, checkDnsSubdomain, checkNamespace, checkNonEmpty, checkPositiveInteger } from '../../internal/checks';
import { inputError } from '../../internal/errors';
import { SubscriptionPlatformProps } from './subscription-platform-props';
import { MAAS_DEFAULT_TIER_GROUPS, TierGroups } from './tier-groups';

/** The default tenant of MaaS: its name and the namespace of its subscriptions. */
export const MAAS_DEFAULT_TENANT = 'models-as-a-service';

/** Validated settings of the subscription-based platform. */
export interface SubscriptionSettings {
  /** The tier mapping; `defaultTokensPerMinute` 0 means none. */
  readonly tiers: readonly Required<TierGroups>[];
  readonly subscriptionNamespace: string;
  readonly keyStore?: SecretStoreRef;
  readonly allowPlaintextProviders: boolean;
  readonly responseTranslation: boolean;
  readonly modelNamespaceLabels: Readonly<Record<string, string>>;
}

/** Validates {@link SubscriptionPlatformProps} and fills in the defaults. */
export function resolveSubscriptionSettings(scope: IConstruct, props: SubscriptionPlatformProps): SubscriptionSettings {
  const tenant = props.tenant ?? MAAS_DEFAULT_TENANT;
  if (tenant !== MAAS_DEFAULT_TENANT) {
    throw inputError(scope, 'MaaS tenant', tenant,
      `MaaS serves external models to its default tenant "${MAAS_DEFAULT_TENANT}" only (non-default tenants run the payload processor without its ExternalModel controller); leave tenant out`);
  }
  if (props.keyStore !== undefined) {
    if (!(props.keyStore instanceof SecretStoreRef)) {
      throw inputError(scope, 'key store', props.keyStore, 'use SecretStoreRef.cluster(name) or SecretStoreRef.namespaced(name)');
    }
    checkDnsSubdomain(scope, 'key store name', props.keyStore.name);
  }
  return {
    tiers: resolveTierGroups(scope, props.tiers ?? MAAS_DEFAULT_TIER_GROUPS),
    subscriptionNamespace: checkNamespace(scope, 'subscription namespace', props.subscriptionNamespace ?? MAAS_DEFAULT_TENANT),
    keyStore: props.keyStore,
    allowPlaintextProviders: props.allowPlaintextProviders ?? false,
    responseTranslation: props.responseTranslation ?? false,
    modelNamespaceLabels: { ...(props.modelNamespaceLabels ?? { 'maas.opendatahub.io/gateway-access': 'true' }) },
  };
}

function resolveTierGroups(scope: IConstruct, tiers: readonly TierGroups[]): Required<TierGroups>[] {
  const seen = new Set<string>();
  const priorities = new Map<number, string>();
  return checkNonEmpty(scope, 'tier mapping', tiers).map((entry) => {
    const tier = checkDnsLabel(scope, 'tier name', entry.tier);
    if (seen.has(tier)) throw inputError(scope, 'tier', tier, 'map each tier once');
    seen.add(tier);
    const groups = checkNonEmpty(scope, `groups of tier "${tier}"`, entry.groups);
    for (const group of groups) {
      if (typeof group !== 'string' || group.trim() === '' || group.trim() !== group) {
        throw inputError(scope, `group of tier "${tier}"`, group, 'give a Kubernetes group name such as "system:authenticated"');
      }
    }
    const priority = entry.priority ?? 0;
    if (!Number.isInteger(priority) || priority < -2147483648 || priority > 2147483647) {
      throw inputError(scope, `priority of tier "${tier}"`, priority, 'give a whole number (32-bit); higher wins when a user owns several subscriptions');
    }
    const clash = priorities.get(priority);
    if (clash !== undefined) {
      throw inputError(scope, `priority of tier "${tier}"`, priority, `tier "${clash}" has it too; give each tier its own priority so a minted key binds to a predictable subscription`);
    }
    priorities.set(priority, tier);
    const defaultTokensPerMinute = entry.defaultTokensPerMinute === undefined
      ? 0
      : checkPositiveInteger(scope, `default tokens per minute of tier "${tier}"`, entry.defaultTokensPerMinute);
    return { tier, groups: [...groups], priority, defaultTokensPerMinute };
  });
}
