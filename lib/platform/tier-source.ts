import {
  AuthPolicySpecRulesMetadata,
  AuthPolicySpecRulesMetadataHttpContentType,
  AuthPolicySpecRulesMetadataHttpMethod,
} from '../../imports/kuadrant.io';

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

/** Where a MaaS user's tier comes from, as a CEL expression for Authorino. */
export abstract class TierSource {
  /**
   * Tier taken from the service account's namespace, `<prefix>-tier-<tier>`, as
   * the proof of concept's bridge policies did. Needs no extra call.
   */
  public static fromServiceAccountNamespace(): TierSource {
    return new NamespaceTierSource();
  }

  /** Tier asked from the MaaS API tier lookup endpoint by the user's groups. */
  public static fromLookup(props: TierLookupProps = {}): TierSource {
    return new LookupTierSource(props);
  }

  /** CEL expression (Authorino) that yields the tier name. */
  public abstract readonly expression: string;

  /** AuthPolicy `rules.metadata` entries the expression reads, if any. */
  public abstract metadata(): Record<string, AuthPolicySpecRulesMetadata>;
}

class NamespaceTierSource extends TierSource {
  public readonly expression = 'auth.identity.user.username.split(":")[2].split("-tier-")[1]';
  public metadata(): Record<string, AuthPolicySpecRulesMetadata> {
    return {};
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

  public metadata(): Record<string, AuthPolicySpecRulesMetadata> {
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
}
