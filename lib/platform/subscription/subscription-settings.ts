import type { IConstruct } from 'constructs';
import { SecretStoreRef } from '../../credentials/store-token-external-secret';
import { checkDnsLabel, checkDnsSubdomain, checkNamespace, checkNonEmpty, checkPositiveInteger } from '../../internal/checks';
import { inputError } from '../../internal/errors';
import type { SubscriptionPlatformProps } from './subscription-platform-props';
import { DEFAULT_MAAS_RELEASE, type ReleaseTraits, resolveRelease } from './release-traits';
import { MAAS_DEFAULT_TIER_GROUPS, type MaasMetering, type TierGroups } from './tier-groups';

/** A tier with every field resolved. */
export interface ResolvedTierGroups {
  readonly tier: string;
  readonly groups: string[];
  readonly priority: number;
  readonly defaultTokensPerMinute: number;
  readonly metering?: MaasMetering;
}

const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

/**
 * Group names MaaS accepts everywhere: maas-api mints API keys only for groups
 * like this (`maas-api/internal/api_keys/service.go`), and the gateway's
 * authorization also allows `/` (`maasauthpolicy_controller.go` `safeGroupNamePattern`).
 */
const MAAS_GROUP_NAME = /^[A-Za-z0-9:._-]+$/;
/** Highest token limit of a MaaSSubscription rate (its CRD `maximum`, maas-controller `maxTokenRateLimit`). */
export const MAX_MAAS_TOKEN_LIMIT = 1_000_000_000;

/** The default tenant of MaaS: its name and the namespace of its subscriptions. */
export const MAAS_DEFAULT_TENANT = 'models-as-a-service';

/** Validated settings of the subscription-based platform. */
export interface SubscriptionSettings {
  /** The tier mapping; `defaultTokensPerMinute` 0 means none; `metering` merged with the platform's (undefined when empty). */
  readonly tiers: readonly ResolvedTierGroups[];
  /** Cost per token by model id. */
  readonly billingRates: ReadonlyMap<string, string>;
  readonly subscriptionNamespace: string;
  readonly keyStore?: SecretStoreRef;
  /** The MaaS release and what its payload processor does. */
  readonly release: ReleaseTraits;
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
  if ((props as { allowPlaintextProviders?: unknown }).allowPlaintextProviders !== undefined) {
    throw inputError(scope, 'allowPlaintextProviders', (props as { allowPlaintextProviders?: unknown }).allowPlaintextProviders,
      'the option is gone: the payload processor always opens TLS to port 443 of a provider, so a provider without TLS is never reached; remove it');
  }
  if (props.keyStore !== undefined) {
    if (!(props.keyStore instanceof SecretStoreRef)) {
      throw inputError(scope, 'key store', props.keyStore, 'use SecretStoreRef.cluster(name) or SecretStoreRef.namespaced(name)');
    }
    checkDnsSubdomain(scope, 'key store name', props.keyStore.name);
  }
  return {
    tiers: resolveTierGroups(scope, props.tiers ?? MAAS_DEFAULT_TIER_GROUPS, checkMetering(scope, 'platform metering', props.metering)),
    billingRates: resolveBillingRates(scope, props.billingRates ?? {}),
    subscriptionNamespace: checkNamespace(scope, 'subscription namespace', props.subscriptionNamespace ?? MAAS_DEFAULT_TENANT),
    keyStore: props.keyStore,
    release: resolveRelease(scope, props.release ?? DEFAULT_MAAS_RELEASE),
    responseTranslation: props.responseTranslation ?? false,
    modelNamespaceLabels: { ...(props.modelNamespaceLabels ?? { 'maas.opendatahub.io/gateway-access': 'true' }) },
  };
}

function resolveTierGroups(scope: IConstruct, tiers: readonly TierGroups[], platformMetering: MaasMetering | undefined): ResolvedTierGroups[] {
  const seen = new Set<string>();
  const priorities = new Map<number, string>();
  return checkNonEmpty(scope, 'tier mapping', tiers).map((entry) => {
    const tier = checkDnsLabel(scope, 'tier name', entry.tier);
    if (seen.has(tier)) throw inputError(scope, 'tier', tier, 'map each tier once');
    seen.add(tier);
    const groups = checkNonEmpty(scope, `groups of tier "${tier}"`, entry.groups);
    for (const group of groups) {
      if (typeof group !== 'string' || !MAAS_GROUP_NAME.test(group)) {
        throw inputError(scope, `group of tier "${tier}"`, group,
          'give a group name of letters, digits and ":._-" such as "system:authenticated" (MaaS refuses API keys for, and its gateway denies, a group outside that pattern)');
      }
    }
    const priority = entry.priority ?? 0;
    if (!Number.isInteger(priority) || priority < 0 || priority > 2147483647) {
      throw inputError(scope, `priority of tier "${tier}"`, priority,
        'give a whole number from 0 to 2147483647 (maas-api treats a negative priority as 0); higher wins when a user owns several subscriptions');
    }
    const clash = priorities.get(priority);
    if (clash !== undefined) {
      throw inputError(scope, `priority of tier "${tier}"`, priority, `tier "${clash}" has it too; give each tier its own priority so a minted key binds to a predictable subscription`);
    }
    priorities.set(priority, tier);
    const defaultTokensPerMinute = entry.defaultTokensPerMinute === undefined
      ? 0
      : checkTokenLimit(scope, `default tokens per minute of tier "${tier}"`, entry.defaultTokensPerMinute);
    const own = checkMetering(scope, `metering of tier "${tier}"`, entry.metering);
    const metering = mergeMetering(platformMetering, own);
    return { tier, groups: [...groups], priority, defaultTokensPerMinute, metering };
  });
}

/** Checks a MaaSSubscription token limit: a whole number from 1 to {@link MAX_MAAS_TOKEN_LIMIT}. */
export function checkTokenLimit(scope: IConstruct, what: string, value: number): number {
  checkPositiveInteger(scope, what, value);
  if (value > MAX_MAAS_TOKEN_LIMIT) {
    throw inputError(scope, what, value, `MaaS takes at most ${MAX_MAAS_TOKEN_LIMIT} tokens per window (MaaSSubscription limit maximum); give a smaller limit or a shorter window`);
  }
  return value;
}

function checkMetering(scope: IConstruct, what: string, metering: MaasMetering | undefined): MaasMetering | undefined {
  if (metering === undefined) return undefined;
  for (const field of ['organizationId', 'costCenter'] as const) {
    const value = metering[field];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '' || value.trim() !== value)) {
      throw inputError(scope, `${what} ${field}`, value, 'give a non-empty string without surrounding white space, or leave it out');
    }
  }
  for (const [key, value] of Object.entries(metering.labels ?? {})) {
    if (key.trim() === '' || typeof value !== 'string') throw inputError(scope, `${what} label`, { [key]: value }, 'give labels as non-empty names with string values');
  }
  return metering;
}

function mergeMetering(base: MaasMetering | undefined, own: MaasMetering | undefined): MaasMetering | undefined {
  const labels = { ...(base?.labels ?? {}), ...(own?.labels ?? {}) };
  const merged: MaasMetering = {
    organizationId: own?.organizationId ?? base?.organizationId,
    costCenter: own?.costCenter ?? base?.costCenter,
    labels: Object.keys(labels).length > 0 ? labels : undefined,
  };
  return Object.values(merged).some((v) => v !== undefined) ? merged : undefined;
}

function resolveBillingRates(scope: IConstruct, rates: Record<string, string>): ReadonlyMap<string, string> {
  for (const [model, rate] of Object.entries(rates)) {
    if (typeof rate !== 'string' || !DECIMAL.test(rate)) {
      throw inputError(scope, `billing rate of model "${model}"`, rate, 'give the cost per token as a decimal string such as "0.0000025"');
    }
  }
  return new Map(Object.entries(rates));
}
