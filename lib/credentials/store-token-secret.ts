import type { IConstruct } from 'constructs';
import { checkDnsSubdomain } from '../internal/checks';
import { inputError } from '../internal/errors';

/**
 * A Secret in Authorino's namespace (e.g. `kuadrant-system`) holding the token
 * Authorino presents to a secret store or key service. Authorino only reads
 * `sharedSecretRef` Secrets from its own namespace.
 */
export interface StoreTokenSecret {
  /** Secret name. */
  readonly name: string;
  /**
   * Key of the token in the Secret.
   * @default 'token'
   */
  readonly key?: string;
}

/** Validates a token Secret reference and fills in the default key. */
export function resolveStoreTokenSecret(scope: IConstruct, what: string, secret: StoreTokenSecret | undefined): Required<StoreTokenSecret> {
  if (secret === undefined || secret === null || typeof secret !== 'object') {
    throw inputError(scope, what, secret, 'give { name: "<Secret in Authorino\'s namespace>", key?: "token" }');
  }
  const key = secret.key ?? 'token';
  if (typeof key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(key)) {
    throw inputError(scope, `${what} key`, key, 'give a Secret data key of letters, digits, "-", "_" and "."');
  }
  return { name: checkDnsSubdomain(scope, `${what} name`, secret.name), key };
}

