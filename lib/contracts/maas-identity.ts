import type {
  AuthPolicySpecRulesAuthentication,
  AuthPolicySpecRulesAuthorization,
  AuthPolicySpecRulesMetadata,
  AuthPolicySpecRulesResponseSuccessFilters,
} from '../../imports/kuadrant.io';
import { TierSource } from './tier-source';

/** Properties of {@link MaasIdentity}. */
export interface MaasIdentityProps {
  /**
   * Audiences a MaaS token must carry (Kubernetes TokenReview).
   * @default ['maas-default-gateway-sa']
   */
  readonly audiences?: string[];
  /**
   * CEL expression that derives the user id from the reviewed token.
   * @default 'auth.identity.user.username.split(":")[3]' (the service account name)
   */
  readonly userIdExpression?: string;
  /**
   * Where the user's tier comes from.
   * @default TierSource.fromLookup() (the MaaS API's tier lookup by the user's groups)
   */
  readonly tierSource?: TierSource;
  /**
   * Seconds Authorino caches a token review, keyed by the Authorization header.
   * @default 600
   */
  readonly tokenCacheTtlSeconds?: number;
}

/**
 * The identity contract between MaaS tokens and the policies that read them:
 * how a token is authenticated and how `userid` and `tier` are derived. Every
 * AuthPolicy of this library is built from it and every rate limit reads the
 * selectors it names, so the two cannot drift apart.
 */
export class MaasIdentity {
  /** The contract of tier-based MaaS (audience `maas-default-gateway-sa`). */
  public static tierBased(props: MaasIdentityProps = {}): MaasIdentity {
    return new MaasIdentity(props);
  }

  /** Name of the AuthPolicy authentication rule. */
  public static readonly AUTHENTICATION_RULE = 'service-accounts';
  /** CEL selector of the user id in rate limit predicates and counters. */
  public readonly userIdSelector = 'auth.identity.userid';
  /** CEL selector of the tier in rate limit predicates. */
  public readonly tierSelector = 'auth.identity.tier';

  /** Token audiences. */
  public readonly audiences: string[];
  /** CEL expression of the user id. */
  public readonly userIdExpression: string;
  /** Source of the tier. */
  public readonly tierSource: TierSource;
  /** Token review cache TTL in seconds. */
  public readonly tokenCacheTtlSeconds: number;

  private constructor(props: MaasIdentityProps) {
    this.audiences = [...(props.audiences ?? ['maas-default-gateway-sa'])];
    this.userIdExpression = props.userIdExpression ?? 'auth.identity.user.username.split(":")[3]';
    this.tierSource = props.tierSource ?? TierSource.fromLookup();
    this.tokenCacheTtlSeconds = props.tokenCacheTtlSeconds ?? 600;
  }

  /** @internal AuthPolicy `rules.authentication`: TokenReview of the MaaS token. */
  public _authentication(): Record<string, AuthPolicySpecRulesAuthentication> {
    return {
      [MaasIdentity.AUTHENTICATION_RULE]: {
        kubernetesTokenReview: { audiences: [...this.audiences] },
        defaults: { userid: { expression: this.userIdExpression } },
        cache: {
          key: { selector: 'context.request.http.headers.authorization.@case:lower' },
          ttl: this.tokenCacheTtlSeconds,
        },
      },
    };
  }

  /** @internal AuthPolicy `rules.metadata` entries the identity needs (the tier lookup, if any). */
  public _metadata(): Record<string, AuthPolicySpecRulesMetadata> {
    return this.tierSource._metadata();
  }

  /** Name of the AuthPolicy authorization rule that admits only the platform's tiers. */
  public static readonly KNOWN_TIER_RULE = 'known-tier';

  /**
   * @internal
   * AuthPolicy `rules.authorization`: a caller whose tier is not one of
   * `knownTiers` (or who has none) is denied with 403. It replaces, on the
   * library's routes, the MaaS gateway's `tier-access` rule.
   */
  public _tierAuthorization(knownTiers: readonly string[]): Record<string, AuthPolicySpecRulesAuthorization> {
    return {
      [MaasIdentity.KNOWN_TIER_RULE]: { patternMatching: { patterns: [{ predicate: this.tierSource._knownTierPredicate(knownTiers) }] } },
    };
  }

  /** @internal AuthPolicy `response.success.filters`: the `identity` that rate limits read. */
  public _identityFilter(): Record<string, AuthPolicySpecRulesResponseSuccessFilters> {
    return {
      identity: {
        json: {
          properties: {
            userid: { expression: 'auth.identity.userid' },
            tier: { expression: this.tierSource.expression },
          },
        },
      },
    };
  }
}
