import type { IConstruct } from 'constructs';
import {
  type AuthPolicySpecRulesMetadata,
  AuthPolicySpecRulesMetadataHttpContentType,
  AuthPolicySpecRulesMetadataHttpMethod,
} from '../../imports/kuadrant.io';
import { celQuoted } from '../internal/cel';
import { checkDnsLabel } from '../internal/checks';
import { inputError } from '../internal/errors';

/** Properties of {@link TierSource.fromLookup}. */
export interface TierLookupProps {
  /**
   * URL of the MaaS API tier lookup endpoint (`POST` with `{"groups": [...]}`).
   * @default 'https://maas-api.opendatahub.svc.cluster.local:8443/v1/tiers/lookup'
   */
  readonly url?: string;
  /**
   * Seconds a user's tier is cached by Authorino.
   * @default 300
   */
  readonly cacheTtlSeconds?: number;
}

/** Properties of {@link TierSource.fromServiceAccountNamespace}. */
export interface NamespaceTierProps {
  /**
   * Prefix of the tier namespaces: a service account in `<prefix>-tier-<tier>`
   * has tier `<tier>`; any other namespace has none and is denied.
   */
  readonly prefix: string;
}

/**
 * Where a MaaS user's tier comes from, as Authorino derives it: the CEL
 * expression of the tier, the metadata calls it needs, and the authorization
 * predicate that admits only the tiers the platform knows.
 */
export abstract class TierSource {
  /**
   * RESTRICTED: the tier is taken from the service account's namespace,
   * `<prefix>-tier-<tier>`, as the proof of concept did; only the whole
   * namespace name is trusted (`^<prefix>-tier-(<known tiers>)$`). Safe only
   * where the platform owns those namespaces: whoever may create service
   * accounts or tokens in one of them gets its tier.
   */
  public static fromServiceAccountNamespace(props: NamespaceTierProps): TierSource {
    return new NamespaceTierSource(props);
  }

  /**
   * The tier the MaaS API's tier lookup gives the user's groups, as MaaS's own
   * gateway policy does (the default): users cannot choose it.
   */
  public static fromLookup(props: TierLookupProps = {}): TierSource {
    return new LookupTierSource(props);
  }

  /** CEL expression (Authorino) that yields the tier name. */
  public abstract readonly expression: string;

  /** @internal AuthPolicy `rules.metadata` entries the expression reads, if any. */
  public abstract _metadata(): Record<string, AuthPolicySpecRulesMetadata>;

  /** @internal CEL predicate (Authorino) that holds only for a caller whose tier is one of `knownTiers`. */
  public abstract _knownTierPredicate(knownTiers: readonly string[]): string;

  /** @internal Throws, naming `scope`, when the source's settings are invalid. */
  public abstract _validate(scope: IConstruct): void;
}

const celList = (values: readonly string[]) => `[${values.map(celQuoted).join(', ')}]`;

class NamespaceTierSource extends TierSource {
  public readonly expression = 'auth.identity.user.username.split(":")[2].split("-tier-")[1]';
  private readonly prefix: string;

  constructor(props: NamespaceTierProps) {
    super();
    this.prefix = props?.prefix;
  }

  /** @internal */
  public _metadata(): Record<string, AuthPolicySpecRulesMetadata> {
    return {};
  }

  /** @internal */
  public _knownTierPredicate(knownTiers: readonly string[]): string {
    // the whole user name: a namespace such as "evil-<prefix>-tier-enterprise" must not pass
    return `auth.identity.user.username.matches(${celQuoted(`^system:serviceaccount:${this.prefix}-tier-(${knownTiers.join('|')}):[^:]+$`)})`;
  }

  public _validate(scope: IConstruct): void {
    checkDnsLabel(scope, 'tier namespace prefix', this.prefix);
    if (this.prefix.includes('-tier-')) {
      throw inputError(scope, 'tier namespace prefix', this.prefix, 'a prefix must not contain "-tier-", or the tier would be read from the wrong part of the namespace');
    }
  }
}

class LookupTierSource extends TierSource {
  public readonly expression = 'auth.metadata.matchedTier["tier"]';
  private readonly url: string;
  private readonly ttl: number;

  constructor(props: TierLookupProps) {
    super();
    this.url = props.url ?? 'https://maas-api.opendatahub.svc.cluster.local:8443/v1/tiers/lookup';
    this.ttl = props.cacheTtlSeconds ?? 300;
  }

  /** @internal */
  public _metadata(): Record<string, AuthPolicySpecRulesMetadata> {
    return {
      matchedTier: {
        http: {
          url: this.url,
          method: AuthPolicySpecRulesMetadataHttpMethod.POST,
          contentType: AuthPolicySpecRulesMetadataHttpContentType.APPLICATION_FORWARD_SLASH_JSON,
          body: { expression: '{ "groups": auth.identity.user.groups }' },
        },
        cache: { key: { selector: 'auth.identity.user.username' }, ttl: this.ttl },
      },
    };
  }

  /** @internal */
  public _knownTierPredicate(knownTiers: readonly string[]): string {
    // a failed lookup leaves no tier: has() is false (or errors), and Authorino denies
    return `has(auth.metadata.matchedTier.tier) && auth.metadata.matchedTier.tier in ${celList(knownTiers)}`;
  }

  public _validate(scope: IConstruct): void {
    if (typeof this.url !== 'string' || !/^https?:\/\/[^\s/]+\/\S*$/.test(this.url)) {
      throw inputError(scope, 'tier lookup URL', this.url, 'give the MaaS API tier lookup URL, such as https://maas-api.opendatahub.svc.cluster.local:8443/v1/tiers/lookup');
    }
    if (!Number.isInteger(this.ttl) || this.ttl < 0) {
      throw inputError(scope, 'tier lookup cache TTL', this.ttl, 'give a whole number of seconds, 0 or more');
    }
  }
}
