import type { IConstruct } from 'constructs';
import { KeyHeader } from '../credentials/key-header';
import { checkHostname, checkPort, checkSlashedPath, isDnsLabel } from '../internal/checks';
import { inputError } from '../internal/errors';
import { BackendTls } from './backend-tls';
import { MaasProviderType } from '../core/maas-provider-type';

/** Application protocol spoken to a provider (wg-ai-gateway port protocol). */
export enum BackendProtocol {
  /** HTTP/1.1. */
  HTTP = 'HTTP',
  /** HTTP/2. */
  HTTP2 = 'HTTP2',
}

/** Properties of {@link ProviderEndpoint.custom}. */
export interface ProviderEndpointProps {
  /** DNS name of the provider, without scheme, port or path (e.g. `api.example.com`). */
  readonly hostname: string;
  /**
   * Port of the provider.
   * @default 443 with TLS, else 80
   */
  readonly port?: number;
  /**
   * TLS origination towards the provider.
   * @default plain HTTP
   */
  readonly tls?: BackendTls;
  /**
   * Application protocol.
   * @default BackendProtocol.HTTP
   */
  readonly protocol?: BackendProtocol;
  /**
   * Path at the provider that the OpenAI-style `/v1/` maps to, e.g. `/v1beta/openai/`.
   * @default '/v1/'
   */
  readonly apiBasePath?: string;
  /**
   * How the provider expects its key.
   * @default KeyHeader.bearer()
   */
  readonly keyHeader?: KeyHeader;
  /**
   * Provider type on current (subscription-based) MaaS: how its payload processor
   * speaks to the provider. Only that platform reads it.
   * @default MaasProviderType.OPENAI (the endpoint is OpenAI-compatible)
   */
  readonly maasProviderType?: MaasProviderType;
}

/** Properties of {@link ProviderEndpoint.vllm}. */
export interface VllmEndpointProps {
  /** DNS name of the vLLM server. */
  readonly hostname: string;
  /**
   * Port of the vLLM OpenAI-compatible server.
   * @default 8000
   */
  readonly port?: number;
  /**
   * TLS towards the server.
   * @default plain HTTP
   */
  readonly tls?: BackendTls;
}

/** Properties of the hosted provider presets. */
export interface HostedProviderProps {
  /**
   * TLS towards the provider. The wg-ai-gateway plane needs a CA bundle Secret
   * (`BackendTls.verified({ caBundleSecret })`).
   * @default BackendTls.verified(): system trust store, certificate name checked (Istio planes)
   */
  readonly tls?: BackendTls;
}

/** Properties of {@link ProviderEndpoint.azureOpenAi}. */
export interface AzureOpenAiProps extends HostedProviderProps {
  /** Azure OpenAI resource name: the host is `<resource>.openai.azure.com`. */
  readonly resource: string;
}

/**
 * Where a provider is and how it is spoken to: host, port, protocol, the path of
 * its OpenAI-compatible API and the header that carries its key.
 */
export class ProviderEndpoint {
  /** Any OpenAI-compatible endpoint, every field explicit. */
  public static custom(props: ProviderEndpointProps): ProviderEndpoint {
    return new ProviderEndpoint(props);
  }

  /** A vLLM server started with `--api-key` (key as `Authorization: Bearer`). */
  public static vllm(props: VllmEndpointProps): ProviderEndpoint {
    return new ProviderEndpoint({ hostname: props.hostname, port: props.port ?? 8000, tls: props.tls });
  }

  /** OpenAI: `api.openai.com:443`, API at `/v1/`, `Authorization: Bearer`. */
  public static openAi(props: HostedProviderProps = {}): ProviderEndpoint {
    return ProviderEndpoint.hosted('api.openai.com', '/v1/', KeyHeader.bearer(), props);
  }

  /**
   * Anthropic through its OpenAI-compatible API (so token budgets count usage): `api.anthropic.com:443`, `/v1/`, Bearer.
   * On current MaaS it is an `openai`-type provider: passed through, no translation needed.
   */
  public static anthropic(props: HostedProviderProps = {}): ProviderEndpoint {
    return ProviderEndpoint.hosted('api.anthropic.com', '/v1/', KeyHeader.bearer(), props);
  }

  /** Google Gemini through its OpenAI-compatible API: `generativelanguage.googleapis.com:443`, `/v1beta/openai/`, Bearer. */
  public static gemini(props: HostedProviderProps = {}): ProviderEndpoint {
    return ProviderEndpoint.hosted('generativelanguage.googleapis.com', '/v1beta/openai/', KeyHeader.bearer(), props);
  }

  /** Azure OpenAI v1 API: `<resource>.openai.azure.com:443`, `/openai/v1/`, key in `api-key`. */
  public static azureOpenAi(props: AzureOpenAiProps): ProviderEndpoint {
    const endpoint = ProviderEndpoint.hosted(`${props.resource}.openai.azure.com`, '/openai/v1/', KeyHeader.plain('api-key'), props, MaasProviderType.AZURE_OPENAI);
    endpoint.azureResource = props.resource;
    return endpoint;
  }

  /** Mistral: `api.mistral.ai:443`, `/v1/`, Bearer. */
  public static mistral(props: HostedProviderProps = {}): ProviderEndpoint {
    return ProviderEndpoint.hosted('api.mistral.ai', '/v1/', KeyHeader.bearer(), props);
  }

  /** Groq: `api.groq.com:443`, `/openai/v1/`, Bearer. */
  public static groq(props: HostedProviderProps = {}): ProviderEndpoint {
    return ProviderEndpoint.hosted('api.groq.com', '/openai/v1/', KeyHeader.bearer(), props);
  }

  private static hosted(hostname: string, apiBasePath: string, keyHeader: KeyHeader, props: HostedProviderProps,
    maasProviderType = MaasProviderType.OPENAI): ProviderEndpoint {
    return new ProviderEndpoint({ hostname, port: 443, tls: props.tls ?? BackendTls.verified(), apiBasePath, keyHeader, maasProviderType });
  }

  /** DNS name of the provider. */
  public readonly hostname: string;
  /** Port of the provider. */
  public readonly port: number;
  /** Application protocol. */
  public readonly protocol: BackendProtocol;
  /** Provider path that `/v1/` maps to. */
  public readonly apiBasePath: string;
  /** Header carrying the key. */
  public readonly keyHeader: KeyHeader;
  /** TLS origination, if any. */
  public readonly tls?: BackendTls;
  /** Provider type on current (subscription-based) MaaS. */
  public readonly maasProviderType: MaasProviderType;
  // the resource name given to azureOpenAi, checked by validate() where a scope names the provider
  private azureResource?: string;

  protected constructor(props: ProviderEndpointProps) {
    this.hostname = props.hostname;
    this.tls = props.tls;
    this.port = props.port ?? (props.tls ? 443 : 80);
    this.protocol = props.protocol ?? BackendProtocol.HTTP;
    this.apiBasePath = props.apiBasePath ?? '/v1/';
    this.keyHeader = props.keyHeader ?? KeyHeader.bearer();
    this.maasProviderType = props.maasProviderType ?? MaasProviderType.OPENAI;
  }

  /** Throws, naming `scope`, when a field is invalid. */
  public validate(scope: IConstruct): void {
    if (this.azureResource !== undefined) checkAzureResource(scope, this.azureResource);
    checkHostname(scope, 'provider hostname', this.hostname);
    checkPort(scope, 'provider port', this.port);
    if (!this.tls && !Object.values(BackendProtocol).includes(this.protocol)) {
      throw new Error(`[${scope.node.path}] invalid provider protocol ${JSON.stringify(this.protocol)}: use BackendProtocol.HTTP or BackendProtocol.HTTP2`);
    }
    checkSlashedPath(scope, 'provider API base path', this.apiBasePath);
    this.keyHeader.validate(scope);
    if (!Object.values(MaasProviderType).includes(this.maasProviderType)) {
      throw inputError(scope, 'MaaS provider type', this.maasProviderType, `use one of MaasProviderType: ${Object.values(MaasProviderType).join(', ')}`);
    }
    if (this.tls) {
      if (![BackendProtocol.HTTP, BackendProtocol.HTTP2].includes(this.protocol)) {
        throw inputError(scope, 'protocol for TLS', this.protocol, 'TLS origination needs protocol HTTP or HTTP2');
      }
      this.tls.validate(scope);
    }
  }
}

/** An Azure OpenAI resource name is one DNS label: the first label of `<resource>.openai.azure.com`. */
function checkAzureResource(scope: IConstruct, resource: string): void {
  if (isDnsLabel(resource)) return;
  const host = typeof resource === 'string' ? resource.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0] : '';
  const example = /^[a-z0-9-]+\.openai\.azure\.com$/i.test(host) ? host.split('.')[0].toLowerCase() : 'contoso';
  throw inputError(scope, 'Azure OpenAI resource', resource,
    `give only the resource name, such as "${example}" (the host becomes ${example}.openai.azure.com), not a host name or URL; `
    + 'lower-case letters, digits and "-"');
}
