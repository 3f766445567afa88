import type { IConstruct } from 'constructs';
import { isRelativePath } from '../internal/checks';
import { inputError } from '../internal/errors';
import { type CredentialBinding, ProviderCredential } from './provider-credential';
import type { CredentialSource } from './credential-source';

/** Properties of {@link ProviderCredential.awsKeysFromStore}. */
export interface AwsKeysFromStoreProps {
  /** Key of the entry in the platform's key store (the Vault KV path), e.g. `maas/providers/bedrock`. */
  readonly path: string;
  /** AWS service the requests are signed for, e.g. `bedrock` or `sagemaker`. */
  readonly service: string;
  /**
   * AWS region of the signature.
   * @default taken by the payload processor from a `<service>.<region>.amazonaws.com` endpoint; required for any other host
   */
  readonly region?: string;
  /**
   * Property of the entry holding the access key id.
   * @default 'aws_access_key_id'
   */
  readonly accessKeyIdField?: string;
  /**
   * Property of the entry holding the secret access key.
   * @default 'aws_secret_access_key'
   */
  readonly secretAccessKeyField?: string;
  /**
   * Property of the entry holding a session token, for temporary credentials.
   * @default none: long-lived keys
   */
  readonly sessionTokenField?: string;
}

/** Properties of {@link ProviderCredential.gcpServiceAccountFromStore}. */
export interface GcpServiceAccountFromStoreProps {
  /** Key of the entry in the platform's key store (the Vault KV path), e.g. `maas/providers/vertex`. */
  readonly path: string;
  /**
   * Property of the entry holding the service account's JSON key.
   * @default 'service_account_json'
   */
  readonly field?: string;
}

const PROPERTY = /^[A-Za-z0-9._-]+$/;

/** Credentials that a platform signs or exchanges per request (current MaaS's payload processor); no static key to inject. */
abstract class CloudIdentityCredential extends ProviderCredential {
  public readonly isDemo = false;

  protected constructor(protected readonly what: string) {
    super();
  }

  /** @internal */
  public _bind(scope: IConstruct): CredentialBinding {
    throw inputError(scope, 'credential', this.what,
      'only current MaaS\'s payload processor signs requests or exchanges tokens for a provider; the tier-based platform injects a static key: use MaasPlatform.subscriptionBased(...), or a key credential');
  }

  protected checkPath(scope: IConstruct, path: string): string {
    if (!isRelativePath(path)) {
      throw inputError(scope, 'key store path', path, 'give a relative path such as "maas/providers/bedrock" (no leading or trailing "/")');
    }
    return path;
  }

  protected checkProperty(scope: IConstruct, what: string, value: string): string {
    if (typeof value !== 'string' || !PROPERTY.test(value)) throw inputError(scope, what, value, 'give a property name of letters, digits and "._-"');
    return value;
  }
}

/** AWS access keys in the platform's key store, for SigV4 signing. */
export class AwsKeysCredential extends CloudIdentityCredential {
  constructor(private readonly props: AwsKeysFromStoreProps) {
    super(`AWS keys ${props?.path}`);
  }

  /** @internal */
  public _source(scope: IConstruct): CredentialSource {
    const { service, region, accessKeyIdField = 'aws_access_key_id', secretAccessKeyField = 'aws_secret_access_key', sessionTokenField } = this.props;
    const path = this.checkPath(scope, this.props.path);
    this.checkProperty(scope, 'access key id field', accessKeyIdField);
    this.checkProperty(scope, 'secret access key field', secretAccessKeyField);
    if (sessionTokenField !== undefined) this.checkProperty(scope, 'session token field', sessionTokenField);
    if (typeof service !== 'string' || !/^[a-z0-9-]+$/.test(service)) {
      throw inputError(scope, 'AWS signing service', service, 'give the AWS service name the requests are signed for, such as "bedrock"');
    }
    if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
      throw inputError(scope, 'AWS region', region, 'give a region such as "us-east-1"');
    }
    return { kind: 'aws-keys', description: this.what, path, service, region, accessKeyIdField, secretAccessKeyField, sessionTokenField };
  }
}

/** A Google service account key in the platform's key store, for OAuth2 token exchange. */
export class GcpServiceAccountCredential extends CloudIdentityCredential {
  constructor(private readonly props: GcpServiceAccountFromStoreProps) {
    super(`GCP service account ${props?.path}`);
  }

  /** @internal */
  public _source(scope: IConstruct): CredentialSource {
    const path = this.checkPath(scope, this.props.path);
    const field = this.checkProperty(scope, 'service account field', this.props.field ?? 'service_account_json');
    return { kind: 'gcp-service-account', description: this.what, path, field };
  }
}
