import { Construct } from 'constructs';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind } from '../../imports/external-secrets.io';
import { checkDnsSubdomain, checkDuration, checkNamespace } from '../internal/checks';
import { inputError } from '../internal/errors';
import { registerLibrarySynthesis } from '../output/library-synthesis';
import type { StoreTokenSecret } from './store-token-secret';

/** The External Secrets Operator store an {@link StoreTokenExternalSecret} reads from. */
export class SecretStoreRef {
  /** A cluster-wide `ClusterSecretStore`. */
  public static cluster(name: string): SecretStoreRef {
    return new SecretStoreRef(name, ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE);
  }

  /** A `SecretStore` in the same namespace as the ExternalSecret (Authorino's). */
  public static namespaced(name: string): SecretStoreRef {
    return new SecretStoreRef(name, ExternalSecretSpecSecretStoreRefKind.SECRET_STORE);
  }

  private constructor(
    /** Store name. */
    public readonly name: string,
    /** `ClusterSecretStore` or `SecretStore`. */
    public readonly kind: string,
  ) {}
}

/** Properties of {@link StoreTokenExternalSecret}. */
export interface StoreTokenExternalSecretProps {
  /** Name of the ExternalSecret and of the Secret it creates. */
  readonly name: string;
  /** The store that holds the token. */
  readonly store: SecretStoreRef;
  /** Key of the token in the store, e.g. `maas/authorino/vault-token`. */
  readonly remoteKey: string;
  /**
   * Property inside the remote entry, for stores that keep JSON objects.
   * @default the whole entry
   */
  readonly remoteProperty?: string;
  /**
   * Authorino's namespace, where `sharedSecretRef` Secrets must live.
   * @default 'kuadrant-system'
   */
  readonly namespace?: string;
  /**
   * Key of the token in the created Secret.
   * @default 'token'
   */
  readonly secretKey?: string;
  /**
   * How often the operator re-reads the store (Go duration).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

/**
 * An External Secrets Operator `ExternalSecret` (`external-secrets.io/v1`) that
 * creates the store token Secret Authorino uses, so that token too stays out
 * of Git. Pass {@link StoreTokenExternalSecret.secret} as a credential's `tokenSecret`.
 */
export class StoreTokenExternalSecret extends Construct {
  /** The Secret the operator creates, as a credential's `tokenSecret`. */
  public readonly secret: StoreTokenSecret;
  /** Namespace of the ExternalSecret and its Secret. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: StoreTokenExternalSecretProps) {
    super(scope, id);
    registerLibrarySynthesis(this);
    const name = checkDnsSubdomain(this, 'ExternalSecret name', props.name);
    this.namespace = checkNamespace(this, 'Authorino namespace', props.namespace ?? 'kuadrant-system');
    if (!(props.store instanceof SecretStoreRef)) {
      throw inputError(this, 'secret store', props.store, 'use SecretStoreRef.cluster(name) or SecretStoreRef.namespaced(name)');
    }
    checkDnsSubdomain(this, 'secret store name', props.store.name);
    if (typeof props.remoteKey !== 'string' || props.remoteKey.trim() === '' || props.remoteKey.trim() !== props.remoteKey) {
      throw inputError(this, 'remote key', props.remoteKey, 'give the key of the token in the store, e.g. "maas/authorino/vault-token"');
    }
    if (props.remoteProperty !== undefined && (typeof props.remoteProperty !== 'string' || props.remoteProperty === '')) {
      throw inputError(this, 'remote property', props.remoteProperty, 'give a non-empty property name or leave it out');
    }
    const secretKey = props.secretKey ?? 'token';
    if (typeof secretKey !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(secretKey)) {
      throw inputError(this, 'Secret key', secretKey, 'give a Secret data key of letters, digits, "-", "_" and "."');
    }
    const refreshInterval = checkDuration(this, 'refresh interval', props.refreshInterval ?? '1h');
    this.secret = { name, key: secretKey };

    new ExternalSecret(this, 'Resource', {
      metadata: { name, namespace: this.namespace },
      spec: {
        refreshInterval,
        secretStoreRef: { kind: props.store.kind as ExternalSecretSpecSecretStoreRefKind, name: props.store.name },
        target: { name },
        data: [{ secretKey, remoteRef: { key: props.remoteKey, property: props.remoteProperty } }],
      },
    });
  }
}
