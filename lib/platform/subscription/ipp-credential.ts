import { Construct, type IConstruct } from 'constructs';
import type { AwsKeysSource, CredentialSource } from '../../credentials/credential-source';
import { DEMO_CREDENTIAL_ANNOTATION } from '../../internal/annotations';
import { inputError } from '../../internal/errors';
import { demoKeySecret, type IppKeySecretOptions, type StoreSecretEntry, storeExternalSecret, storeKeyExternalSecret } from './ipp-key-secret';

// How current MaaS's payload processor takes each kind of credential: the
// labelled Secret it reads and its ExternalProvider `auth`. A kind not named
// here is refused, so a new credential stays off this platform until it is.

/** An ExternalProvider's authentication on current MaaS. */
export interface IppAuth {
  /** `auth.type`: apikey, sigv4 or oauth2. */
  readonly type: string;
  /** `spec.config` entries of that type. */
  readonly config: Record<string, string>;
}

/** The endpoints from which the payload processor reads the region itself (`sigv4_auth_generator.go` regionFromEndpoint). */
const STANDARD_AWS_HOST = /^[a-z0-9-]+\.[a-z0-9-]+\.amazonaws\.com$/;

/** The ExternalProvider `auth` for `source`, or an error naming `scope` when the payload processor cannot use it. */
export function ippAuthOf(scope: IConstruct, source: CredentialSource, endpointHostname: string): IppAuth {
  switch (source.kind) {
    case 'demo-literal':
    case 'vault':
      return { type: 'apikey', config: {} };
    case 'aws-keys':
      return { type: 'sigv4', config: { service: source.service, ...(awsRegion(scope, source, endpointHostname) !== undefined && { region: source.region! }) } };
    case 'gcp-service-account':
      return { type: 'oauth2', config: {} };
    case 'http-key-service':
      throw inputError(scope, 'credential', source.description,
        'ProviderCredential.fromHttpKeyService has no equivalent on current MaaS: its payload processor reads keys only from Secrets labelled inference.llm-d.ai/ipp-managed; keep the key in a store External Secrets can read (ProviderCredential.fromVault with the platform\'s keyStore)');
    default:
      throw inputError(scope, 'credential', (source as CredentialSource).description,
        'the subscription platform does not know how current MaaS takes this kind of credential; use ProviderCredential.fromVault, awsKeysFromStore or gcpServiceAccountFromStore');
  }
}

/** Emits, under `scope`, what puts the credential into the labelled Secret the payload processor reads. */
export function emitIppKeySecret(scope: Construct, source: CredentialSource, options: IppKeySecretOptions): void {
  if (source.kind === 'demo-literal') {
    demoKeySecret(scope, options, source.value, DEMO_CREDENTIAL_ANNOTATION);
    return;
  }
  if (!options.keyStore) {
    throw inputError(scope, 'credential', source.description, source.kind === 'vault'
      ? 'current MaaS reads keys only from labelled Secrets: give the platform a keyStore (SecretStoreRef of an External Secrets store that reads this Vault) so an ExternalSecret can write them'
      : 'current MaaS reads credentials only from labelled Secrets: give the platform a keyStore (SecretStoreRef) so an ExternalSecret can write them');
  }
  if (source.kind === 'vault') storeKeyExternalSecret(scope, options, options.keyStore, { remoteKey: source.path, property: source.field });
  else storeExternalSecret(scope, options, options.keyStore, storeEntries(source));
}

/** The Secret keys the payload processor reads (`sigv4_auth_generator.go`, `gcp_oauth2_generator.go`) and where each value is in the store. */
function storeEntries(source: CredentialSource): StoreSecretEntry[] {
  switch (source.kind) {
    case 'aws-keys': return [
      { secretKey: 'aws-access-key-id', remoteKey: source.path, property: source.accessKeyIdField },
      { secretKey: 'aws-secret-access-key', remoteKey: source.path, property: source.secretAccessKeyField },
      ...(source.sessionTokenField === undefined ? [] : [{ secretKey: 'aws-session-token', remoteKey: source.path, property: source.sessionTokenField }]),
    ];
    case 'gcp-service-account': return [{ secretKey: 'gcp-service-account-json', remoteKey: source.path, property: source.field }];
    default: return [];
  }
}

function awsRegion(scope: IConstruct, source: AwsKeysSource, endpointHostname: string): string | undefined {
  if (source.region === undefined && !STANDARD_AWS_HOST.test(endpointHostname)) {
    throw inputError(scope, 'AWS region', 'none',
      `the payload processor reads the region only from a <service>.<region>.amazonaws.com endpoint, and "${endpointHostname}" is not one: give region`);
  }
  return source.region;
}
