import type { IConstruct } from 'constructs';
import type { CredentialBinding, ProviderCredential } from '../credentials/provider-credential';
import type { ProviderEndpoint } from '../providers/provider-endpoint';

/** An external provider as data planes and platforms see it (`ExternalProvider`). */
export interface IExternalProvider extends IConstruct {
  /** Provider name: the path segment `/external/<name>/` and the prefix of its object names. */
  readonly name: string;
  /** Where the provider is and how it is spoken to. */
  readonly endpoint: ProviderEndpoint;
  /** The provider's API key. */
  readonly credential: ProviderCredential;
  /** Model ids served by this provider alone. */
  readonly models: string[];
  /** Namespace of the provider's route on the MaaS gateway and of its policies. */
  readonly bridgeNamespace: string;
  /** Name of the provider's route on the MaaS gateway. */
  readonly bridgeRouteName: string;
  /** Path prefix of the provider on the MaaS gateway, e.g. `/external/openai/`. */
  readonly publicPathPrefix: string;
  /** Path prefix of the provider on a two-hop plane's egress gateway, e.g. `/openai/`. */
  readonly egressPathPrefix: string;
  /** Request timeout of the provider's routes (Gateway API duration; `0s` for none). */
  readonly requestTimeout: string;
  /** True when the user allowed the provider's key over plain HTTP. */
  readonly allowsKeyOverPlainHttp: boolean;
  /** @internal How AuthPolicies obtain this provider's key. */
  readonly _credentialBinding: CredentialBinding;
}
