import type { IConstruct } from 'constructs';
import type {
  AuthPolicySpecRulesAuthorization,
  AuthPolicySpecRulesMetadata,
} from '../../imports/kuadrant.io';
import { celString } from '../internal/cel';
import { inputError } from '../internal/errors';
import type { HttpKeyServiceCredentialProps } from './http-key-service-credential';
import type { CredentialSource } from './credential-source';
import type { AwsKeysFromStoreProps, GcpServiceAccountFromStoreProps } from './cloud-identity-credential';
import type { VaultCredentialProps } from './vault-credential';
import { AppState } from '../internal/app-state';
import { DEMO_CREDENTIAL_ANNOTATION } from '../internal/annotations';

/** @internal What a credential needs to know about the provider it serves. */
export interface CredentialBindOptions {
  /** The provider's name; unique per egress gateway, usable in rule names. */
  readonly providerName: string;
}

/** @internal How an AuthPolicy obtains a provider key; produced by `ProviderCredential._bind`. */
export interface CredentialBinding {
  /** CEL expression (Authorino) that evaluates to the raw key. */
  readonly keyExpression: string;
  /**
   * The key itself, only for demo literals; it lets a header be emitted as one literal.
   * @default none: the key is only known at request time
   */
  readonly demoValue?: string;
  /** AuthPolicy `rules.metadata` entries that fetch the key. */
  readonly metadata: Record<string, AuthPolicySpecRulesMetadata>;
  /** AuthPolicy `rules.authorization` entries that deny requests when the key is missing. */
  readonly authorization: Record<string, AuthPolicySpecRulesAuthorization>;
  /**
   * CEL predicate that holds when the key was obtained, for keys fetched at request time.
   * @default none: the key is always there (demo literal)
   */
  readonly presentPredicate?: string;
}

/** Annotation put on every object that holds a demo credential. */
export { DEMO_CREDENTIAL_ANNOTATION };

/**
 * The API key of an external provider, as the gateway injects it. Keys are
 * never written into manifests except through {@link ProviderCredential.demoLiteral},
 * whose name says what it is for.
 */
export abstract class ProviderCredential {
  /** Annotation on every object that carries a demo key in clear text. */
  public static readonly DEMO_ANNOTATION = DEMO_CREDENTIAL_ANNOTATION;

  /**
   * A key written into the manifests in clear text. For simulators and demos
   * only: every object that carries it is annotated as holding demo credentials.
   */
  public static demoLiteral(value: string): ProviderCredential {
    return new DemoLiteralCredential(value);
  }

  /** A key read from Vault's KV v2 engine by Authorino at request time. */
  public static fromVault(props: VaultCredentialProps): ProviderCredential {
    // required lazily: vault-credential.ts extends this class
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { VaultCredential } = require('./vault-credential') as typeof import('./vault-credential');
    return new VaultCredential(props);
  }

  /**
   * A key returned by an HTTP key service that Authorino calls at request time;
   * see {@link HttpKeyServiceCredentialProps} for the request/response contract.
   */
  public static fromHttpKeyService(props: HttpKeyServiceCredentialProps): ProviderCredential {
    // required lazily: http-key-service-credential.ts extends this class
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { HttpKeyServiceCredential } = require('./http-key-service-credential') as typeof import('./http-key-service-credential');
    return new HttpKeyServiceCredential(props);
  }

  /**
   * AWS access keys read from the platform's key store, with which current MaaS's
   * payload processor signs each request (SigV4; Bedrock, SageMaker). Subscription platform only.
   */
  public static awsKeysFromStore(props: AwsKeysFromStoreProps): ProviderCredential {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AwsKeysCredential } = require('./cloud-identity-credential') as typeof import('./cloud-identity-credential');
    return new AwsKeysCredential(props);
  }

  /**
   * A Google service account key read from the platform's key store, with which current MaaS's
   * payload processor obtains and refreshes OAuth2 tokens (Vertex AI). Subscription platform only.
   */
  public static gcpServiceAccountFromStore(props: GcpServiceAccountFromStoreProps): ProviderCredential {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { GcpServiceAccountCredential } = require('./cloud-identity-credential') as typeof import('./cloud-identity-credential');
    return new GcpServiceAccountCredential(props);
  }

  /** True when the key is written into the manifests (demo literal). */
  public abstract readonly isDemo: boolean;

  /** @internal Describes how a provider's AuthPolicy obtains the key. */
  public abstract _bind(scope: IConstruct, options: CredentialBindOptions): CredentialBinding;

  /** @internal What the credential is, checked, for the platform to realize (the subscription platform's key Secret). */
  public abstract _source(scope: IConstruct): CredentialSource;
}

class DemoLiteralCredential extends ProviderCredential {
  public readonly isDemo = true;

  constructor(private readonly value: string) {
    super();
  }

  /** @internal */
  public _bind(scope: IConstruct): CredentialBinding {
    if (typeof this.value !== 'string' || this.value.length === 0 || /[\r\n]/.test(this.value)) {
      throw inputError(scope, 'demo credential', this.value, 'give a non-empty single-line string');
    }
    recordDemoValue(scope, this.value);
    return { keyExpression: celString(this.value), demoValue: this.value, metadata: {}, authorization: {} };
  }

  /** @internal */
  public _source(scope: IConstruct): CredentialSource {
    return { kind: 'demo-literal', description: 'demo literal', value: this._bind(scope).demoValue as string };
  }
}

const demoValues = new AppState(() => new Set<string>());

function recordDemoValue(scope: IConstruct, value: string): void {
  demoValues.of(scope).add(value);
}

/** Every key given through {@link ProviderCredential.demoLiteral} and bound in the app of `scope`. */
export function demoCredentialValues(scope: IConstruct): string[] {
  return [...(demoValues.peek(scope) ?? [])].sort();
}
