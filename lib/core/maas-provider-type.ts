/**
 * The provider type of a current-MaaS `ExternalProvider` (`spec.provider`): it
 * selects the payload processor's request translation and the header it puts
 * the key in.
 */
export enum MaasProviderType {
  /** OpenAI Chat Completions, passed through; key as `Authorization: Bearer`. Any OpenAI-compatible API. */
  OPENAI = 'openai',
  /** Anthropic's native Messages API, translated from OpenAI chat; key as `x-api-key`. */
  ANTHROPIC = 'anthropic',
  /** Azure OpenAI v1 API; key as `api-key`. */
  AZURE_OPENAI = 'azure-openai',
  /** Vertex AI's OpenAI-compatible API; with `ProviderCredential.gcpServiceAccountFromStore`, OAuth2 tokens as `Authorization: Bearer`. */
  VERTEX_OPENAI = 'vertex-openai',
  /** AWS Bedrock's OpenAI-compatible endpoint; with `ProviderCredential.awsKeysFromStore`, each request SigV4-signed. */
  BEDROCK_OPENAI = 'bedrock-openai',
}

/** The header the payload processor injects the key in, per provider type, unless `spec.config.authHeaderName` overrides it. */
export function defaultIppKeyHeader(type: MaasProviderType): { readonly name: string; readonly prefix: string } {
  switch (type) {
    case MaasProviderType.ANTHROPIC: return { name: 'x-api-key', prefix: '' };
    case MaasProviderType.AZURE_OPENAI: return { name: 'api-key', prefix: '' };
    default: return { name: 'Authorization', prefix: 'Bearer ' };
  }
}

/** The one port the payload processor connects to providers on, always with TLS (`pkg/controller/common/constants.go` `DefaultTLSPort`). */
export const IPP_PROVIDER_PORT = 443;
