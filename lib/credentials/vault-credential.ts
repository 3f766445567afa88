import type { IConstruct } from 'constructs';
import { AuthPolicySpecRulesMetadataHttpMethod } from '../../imports/kuadrant.io';
import { checkPositiveInteger, isRelativePath } from '../internal/checks';
import { inputError } from '../internal/errors';
import type { CredentialSource } from './credential-source';
import { keyCacheValue, keyPresentPredicate, keyPresentRule, metadataName } from './fetched-key';
import { resolveStoreTokenSecret, type StoreTokenSecret } from './store-token-secret';
import { type CredentialBinding, type CredentialBindOptions, ProviderCredential } from './provider-credential';

/** Properties of {@link VaultCredential}. */
export interface VaultCredentialProps {
  /** Vault address, e.g. `https://vault.vault.svc:8200` (no trailing slash). */
  readonly address: string;
  /** Path of the secret inside the KV v2 engine, e.g. `maas/providers/openai`. */
  readonly path: string;
  /** Secret with the Vault token that Authorino sends as `X-Vault-Token`. */
  readonly tokenSecret: StoreTokenSecret;
  /**
   * Field of the secret that holds the key.
   * @default 'api_key'
   */
  readonly field?: string;
  /**
   * Mount path of the KV v2 engine.
   * @default 'secret'
   */
  readonly mount?: string;
  /**
   * Seconds Authorino caches the fetched key.
   * @default 300
   */
  readonly cacheTtlSeconds?: number;
}

/**
 * A provider key read from Vault's KV v2 engine by Authorino on each request
 * (cached), so the key never enters the manifests. Requests are denied when the
 * key cannot be fetched.
 */
export class VaultCredential extends ProviderCredential {
  public readonly isDemo = false;

  constructor(private readonly props: VaultCredentialProps) {
    super();
  }

  /** @internal */
  public _bind(scope: IConstruct, options: CredentialBindOptions): CredentialBinding {
    const { address, path, field, mount, tokenSecret } = this.checkedLocation(scope);
    const token = resolveStoreTokenSecret(scope, 'Vault token Secret', tokenSecret);
    const ttl = checkPositiveInteger(scope, 'key cache TTL', this.props.cacheTtlSeconds ?? 300);
    const name = metadataName(options.providerName);
    const value = `auth.metadata.${name}.data.data.${field}`;
    return {
      keyExpression: value,
      metadata: {
        [name]: {
          http: {
            url: `${address}/v1/${mount}/data/${path}`,
            method: AuthPolicySpecRulesMetadataHttpMethod.GET,
            sharedSecretRef: { name: token.name, key: token.key },
            credentials: { customHeader: { name: 'X-Vault-Token' } },
          },
          cache: { key: { value: keyCacheValue(options.providerName) }, ttl },
        },
      },
      authorization: keyPresentRule(name, value),
      presentPredicate: keyPresentPredicate(value),
    };
  }

  /** @internal */
  public _source(scope: IConstruct): CredentialSource {
    const { path, field } = this.checkedLocation(scope);
    return { kind: 'vault', description: `Vault ${path}`, path, field };
  }

  private checkedLocation(scope: IConstruct): Required<Pick<VaultCredentialProps, 'address' | 'path' | 'field' | 'mount'>> & { tokenSecret: VaultCredentialProps['tokenSecret'] } {
    const { address, path, field = 'api_key', mount = 'secret', tokenSecret } = this.props;
    if (!/^https?:\/\/[^\s/]+$/.test(address ?? '')) {
      throw inputError(scope, 'Vault address', address, 'give the scheme and host (and port) only, e.g. "https://vault.vault.svc:8200"');
    }
    if (!isRelativePath(path)) {
      throw inputError(scope, 'Vault secret path', path, 'give a relative path such as "maas/providers/openai" (no leading or trailing "/")');
    }
    if (!isRelativePath(mount)) {
      throw inputError(scope, 'Vault KV mount', mount, 'give the mount path of the KV v2 engine, such as "secret" (no leading or trailing "/")');
    }
    // the URL is /v1/<mount>/data/<path>: a path that repeats either would read another secret, or none
    const repeated = path.startsWith(`${mount}/data/`) ? `${mount}/data/` : path.startsWith('data/') ? 'data/' : path.startsWith(`${mount}/`) ? `${mount}/` : undefined;
    if (repeated) {
      throw inputError(scope, 'Vault secret path', path,
        `give the path inside the KV v2 mount without "${repeated}" (the request goes to /v1/${mount}/data/<path>): use "${path.slice(repeated.length)}"`);
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
      throw inputError(scope, 'Vault field', field, 'give a field name of letters, digits and "_" (it is read with CEL)');
    }
    return { address, path, field, mount, tokenSecret };
  }
}
