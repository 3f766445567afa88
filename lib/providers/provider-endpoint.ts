import { IConstruct } from 'constructs';
import { KeyHeader } from '../credentials/key-header';
import { checkHostname, checkPort, checkSlashedPath } from '../internal/checks';

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
   * @default 80
   */
  readonly port?: number;
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
    return new ProviderEndpoint({ hostname: props.hostname, port: props.port ?? 8000 });
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

  protected constructor(props: ProviderEndpointProps) {
    this.hostname = props.hostname;
    this.port = props.port ?? 80;
    this.protocol = props.protocol ?? BackendProtocol.HTTP;
    this.apiBasePath = props.apiBasePath ?? '/v1/';
    this.keyHeader = props.keyHeader ?? KeyHeader.bearer();
  }

  /** Throws, naming `scope`, when a field is invalid. */
  public validate(scope: IConstruct): void {
    checkHostname(scope, 'provider hostname', this.hostname);
    checkPort(scope, 'provider port', this.port);
    if (!Object.values(BackendProtocol).includes(this.protocol)) {
      throw new Error(`[${scope.node.path}] invalid provider protocol ${JSON.stringify(this.protocol)}: use BackendProtocol.HTTP or BackendProtocol.HTTP2`);
    }
    checkSlashedPath(scope, 'provider API base path', this.apiBasePath);
    this.keyHeader.validate(scope);
  }
}
