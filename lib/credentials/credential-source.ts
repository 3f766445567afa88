/**
 * @internal What a credential is, checked: each platform realizes it in its
 * own way, and refuses a kind it does not know.
 */
export type CredentialSource =
  | { readonly kind: 'demo-literal'; readonly description: string; readonly value: string }
  | { readonly kind: 'vault'; readonly description: string; readonly path: string; readonly field: string }
  | { readonly kind: 'http-key-service'; readonly description: string }
  | AwsKeysSource
  | { readonly kind: 'gcp-service-account'; readonly description: string; readonly path: string; readonly field: string };

/** @internal AWS access keys in a key store, for SigV4 signing. */
export interface AwsKeysSource {
  readonly kind: 'aws-keys';
  readonly description: string;
  readonly path: string;
  readonly service: string;
  readonly region?: string;
  readonly accessKeyIdField: string;
  readonly secretAccessKeyField: string;
  readonly sessionTokenField?: string;
}
