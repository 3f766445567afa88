import type { IConstruct } from 'constructs';
import {
  AuthPolicySpecRulesMetadataHttpContentType,
  AuthPolicySpecRulesMetadataHttpMethod,
} from '../../imports/kuadrant.io';
import { celQuoted } from '../internal/cel';
import { checkPositiveInteger } from '../internal/checks';
import { inputError } from '../internal/errors';
import { keyCacheValue, keyPresentPredicate, keyPresentRule, metadataName } from './fetched-key';
import { type CredentialBinding, type CredentialBindOptions, ProviderCredential } from './provider-credential';
import type { CredentialSource } from './credential-source';
import { resolveStoreTokenSecret, type StoreTokenSecret } from './store-token-secret';

/**
 * Properties of {@link HttpKeyServiceCredential}.
 *
 * The contract a key service implements: Authorino sends
 * `POST <url>` with `Content-Type: application/json` and the body
 * `{"provider": "<provider name>"}` (plus `Authorization: Bearer <token>` when
 * `tokenSecret` is set), and expects `200` with a JSON object whose
 * `<keyField>` member is the provider key as a non-empty string, e.g.
 * `{"api_key": "sk-..."}`. Any other answer denies the request (403).
 */
export interface HttpKeyServiceCredentialProps {
  /** Endpoint that returns provider keys, e.g. `https://maas-api.opendatahub.svc.cluster.local:8443/v1/provider-keys`. */
  readonly url: string;
  /**
   * Secret in Authorino's namespace with a token sent as `Authorization: Bearer <token>`.
   * @default no token is sent
   */
  readonly tokenSecret?: StoreTokenSecret;
  /**
   * Member of the JSON response that holds the key.
   * @default 'api_key'
   */
  readonly keyField?: string;
  /**
   * Seconds Authorino caches the fetched key (one entry per provider).
   * @default 300
   */
  readonly cacheTtlSeconds?: number;
}

/**
 * A provider key served by an HTTP key service (the seed's "dynamic key
 * lookup", e.g. a MaaS API endpoint backed by a database), fetched by
 * Authorino at request time and cached. Requests are denied when no key comes back.
 */
export class HttpKeyServiceCredential extends ProviderCredential {
  public readonly isDemo = false;

  constructor(private readonly props: HttpKeyServiceCredentialProps) {
    super();
  }

  /** @internal */
  public _source(): CredentialSource {
    return { kind: 'http-key-service', description: `HTTP key service ${this.props.url}` };
  }

  /** @internal */
  public _bind(scope: IConstruct, options: CredentialBindOptions): CredentialBinding {
    const { url, keyField = 'api_key' } = this.props;
    if (typeof url !== 'string' || !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url)) {
      throw inputError(scope, 'key service URL', url,
        'give an absolute http(s) URL without query or fragment, e.g. "https://keys.example.svc:8443/v1/provider-keys"');
    }
    if (typeof keyField !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyField)) {
      throw inputError(scope, 'key service response field', keyField, 'give a field name of letters, digits and "_" (it is read with CEL)');
    }
    const token = this.props.tokenSecret === undefined
      ? undefined
      : resolveStoreTokenSecret(scope, 'key service token Secret', this.props.tokenSecret);
    const ttl = checkPositiveInteger(scope, 'key cache TTL', this.props.cacheTtlSeconds ?? 300);
    const name = metadataName(options.providerName);
    const value = `auth.metadata.${name}.${keyField}`;
    return {
      keyExpression: value,
      metadata: {
        [name]: {
          http: {
            url,
            method: AuthPolicySpecRulesMetadataHttpMethod.POST,
            contentType: AuthPolicySpecRulesMetadataHttpContentType.APPLICATION_FORWARD_SLASH_JSON,
            body: { expression: `{"provider": ${celQuoted(options.providerName)}}` },
            ...(token && {
              sharedSecretRef: { name: token.name, key: token.key },
              credentials: { authorizationHeader: { prefix: 'Bearer' } },
            }),
          },
          cache: { key: { value: keyCacheValue(options.providerName) }, ttl },
        },
      },
      authorization: keyPresentRule(name, value),
      presentPredicate: keyPresentPredicate(value),
    };
  }
}
