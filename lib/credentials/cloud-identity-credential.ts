import { Construct, IConstruct } from 'constructs';
import { isRelativePath } from '../internal/checks';
import { inputError } from '../internal/errors';
import { StoreSecretEntry, storeExternalSecret, IppKeySecretOptions } from './ipp-key-secret';
import { CredentialBinding, IppAuth, ProviderCredential } from './provider-credential';

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
/** The endpoints from which the payload processor reads the region itself (`sigv4_auth_generator.go` regionFromEndpoint). */
const STANDARD_AWS_HOST = /^[a-z0-9-]+\.[a-z0-9-]+\.amazonaws\.com$/;

/** Credentials that only current MaaS's payload processor can use: it signs or exchanges them per request. */
abstract class CloudIdentityCredential extends ProviderCredential {
  public readonly isDemo = false;

  protected constructor(private readonly what: string) {
    super();
  }

  /** @internal */
  public _bind(scope: IConstruct): CredentialBinding {
    throw inputError(scope, 'credential', this.what,
      'only current MaaS\'s payload processor signs requests or exchanges tokens for a provider; the tier-based platform injects a static key: use MaasPlatform.subscriptionBased(...), or a key credential');
  }

  public _emitIppKeySecret(scope: Construct, options: IppKeySecretOptions): void {
    if (!options.keyStore) {
      throw inputError(scope, 'credential', this.what,
        'current MaaS reads credentials only from labelled Secrets: give the platform a keyStore (SecretStoreRef) so an ExternalSecret can write them');
    }
    storeExternalSecret(scope, options, options.keyStore, this.entries(scope));
  }

  protected abstract entries(scope: IConstruct): StoreSecretEntry[];

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

/** AWS keys for SigV4 signing by the payload processor (Secret keys of `sigv4_auth_generator.go`). */
export class AwsKeysCredential extends CloudIdentityCredential {
  constructor(private readonly props: AwsKeysFromStoreProps) {
    super(`AWS keys ${props?.path}`);
  }

  protected entries(scope: IConstruct): StoreSecretEntry[] {
    const remoteKey = this.checkPath(scope, this.props.path);
    const { accessKeyIdField = 'aws_access_key_id', secretAccessKeyField = 'aws_secret_access_key', sessionTokenField } = this.props;
    return [
      { secretKey: 'aws-access-key-id', remoteKey, property: this.checkProperty(scope, 'access key id field', accessKeyIdField) },
      { secretKey: 'aws-secret-access-key', remoteKey, property: this.checkProperty(scope, 'secret access key field', secretAccessKeyField) },
      ...(sessionTokenField === undefined ? [] : [{ secretKey: 'aws-session-token', remoteKey, property: this.checkProperty(scope, 'session token field', sessionTokenField) }]),
    ];
  }

  public _ippAuth(scope: IConstruct, endpointHostname: string): IppAuth {
    const { service, region } = this.props;
    if (typeof service !== 'string' || !/^[a-z0-9-]+$/.test(service)) {
      throw inputError(scope, 'AWS signing service', service, 'give the AWS service name the requests are signed for, such as "bedrock"');
    }
    if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
      throw inputError(scope, 'AWS region', region, 'give a region such as "us-east-1"');
    }
    if (region === undefined && !STANDARD_AWS_HOST.test(endpointHostname)) {
      throw inputError(scope, 'AWS region', 'none',
        `the payload processor reads the region only from a <service>.<region>.amazonaws.com endpoint, and "${endpointHostname}" is not one: give region`);
    }
    return { type: 'sigv4', config: { service, ...(region !== undefined && { region }) } };
  }
}

/** A Google service account key for the payload processor's OAuth2 token exchange (`gcp_oauth2_generator.go`). */
export class GcpServiceAccountCredential extends CloudIdentityCredential {
  constructor(private readonly props: GcpServiceAccountFromStoreProps) {
    super(`GCP service account ${props?.path}`);
  }

  protected entries(scope: IConstruct): StoreSecretEntry[] {
    const remoteKey = this.checkPath(scope, this.props.path);
    return [{ secretKey: 'gcp-service-account-json', remoteKey, property: this.checkProperty(scope, 'service account field', this.props.field ?? 'service_account_json') }];
  }

  public _ippAuth(): IppAuth {
    return { type: 'oauth2', config: {} };
  }
}
