import { Construct } from 'constructs';
import { type CredentialBinding, ProviderCredential } from '../credentials/provider-credential';
import { checkDnsLabel, checkGatewayApiDuration, checkNamespace, checkUnique } from '../internal/checks';
import { inputError } from '../internal/errors';
import { registerLibrarySynthesis } from '../output/library-synthesis';
import { ProviderEndpoint } from '../providers/provider-endpoint';
import type { MaasEgressGateway } from './maas-egress-gateway';
import { PLAINTEXT_KEY_ANNOTATION } from '../internal/annotations';
import type { IExternalProvider } from '../contracts/external-provider';

/** Options of a provider, as given to {@link MaasEgressGateway.addProvider}. */
export interface ExternalProviderOptions {
  /** Where the provider is and how it is spoken to. */
  readonly endpoint: ProviderEndpoint;
  /** The provider's API key, injected by the MaaS gateway. */
  readonly credential: ProviderCredential;
  /**
   * Model ids served by this provider alone, as clients send them and the provider knows them;
   * listed in `/v1/models`. May be empty when the provider serves only models of `gateway.addModel`.
   */
  readonly models: string[];
  /**
   * Provider name: the path segment `/external/<name>/` and the prefix of every
   * object name. A DNS-1123 label, unique on its egress gateway.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Request timeout of the provider's routes (Gateway API duration); `'0s'`
   * ({@link ExternalProvider.NO_TIMEOUT}) means none, for long streams. Istio
   * honours it; the wg-ai-gateway prototype ignores it and cuts requests after
   * 15 s of silence.
   * @default '300s'
   */
  readonly requestTimeout?: string;
  /**
   * Namespace of the provider's route on the MaaS gateway, its AuthPolicy and
   * token budgets (and, on the direct plane, of its ServiceEntry).
   * @default the egress gateway's namespace
   */
  readonly bridgeNamespace?: string;
  /**
   * UNSAFE: allows an endpoint without TLS, so the provider's key crosses the
   * network in clear text (for in-cluster simulators and demos). The provider's
   * route is annotated `maas-egress/plaintext-key: "true"`.
   * @default false: an endpoint without TLS is refused
   */
  readonly unsafeAllowKeyOverPlainHttp?: boolean;
}

/** Annotation on every route that sends a provider key over plain HTTP. */
export { PLAINTEXT_KEY_ANNOTATION };

/** Properties of {@link ExternalProvider}. */
export interface ExternalProviderProps extends ExternalProviderOptions {
  /** The egress gateway the provider is reached through. */
  readonly gateway: MaasEgressGateway;
}

/**
 * One external model provider reachable at `/external/<name>/` on the MaaS
 * gateway. The construct holds and validates the intent; the gateway's
 * platform and data plane emit the objects (on tier-based MaaS: the bridge
 * route and its AuthPolicy on the MaaS gateway, and the data plane's backend
 * and route).
 */
export class ExternalProvider extends Construct implements IExternalProvider {
  /** Annotation on every route that sends a provider key over plain HTTP (`unsafeAllowKeyOverPlainHttp`). */
  public static readonly PLAINTEXT_KEY_ANNOTATION = PLAINTEXT_KEY_ANNOTATION;

  /** A request timeout that means "no timeout" (Istio honours it; for long streams). */
  public static readonly NO_TIMEOUT = '0s';

  /** Provider name. */
  public readonly name: string;
  /** The egress gateway. */
  public readonly gateway: MaasEgressGateway;
  /** Where the provider is. */
  public readonly endpoint: ProviderEndpoint;
  /** The provider's key. */
  public readonly credential: ProviderCredential;
  /** Model ids served. */
  public readonly models: string[];
  private readonly sharedModels: string[] = [];
  /** Namespace of the route on the MaaS gateway and its policies. */
  public readonly bridgeNamespace: string;
  /** Name of the HTTPRoute on the MaaS gateway that serves this provider (every plane). */
  public readonly bridgeRouteName: string;
  /** Path prefix clients call on the MaaS gateway, e.g. `/external/openai/`. */
  public readonly publicPathPrefix: string;
  /** Request timeout on the routes. */
  public readonly requestTimeout: string;
  /** True when the key may cross the network in clear text ({@link ExternalProviderOptions.unsafeAllowKeyOverPlainHttp}). */
  public readonly allowsKeyOverPlainHttp: boolean;
  private binding?: CredentialBinding;

  constructor(scope: Construct, id: string, props: ExternalProviderProps) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.gateway = props.gateway;
    this.name = checkDnsLabel(this, 'provider name', props.name ?? id);
    if (!(props.endpoint instanceof ProviderEndpoint)) {
      throw inputError(this, 'endpoint', props.endpoint, 'give endpoint: ProviderEndpoint.openAi(), .custom({...}) or another ProviderEndpoint factory');
    }
    this.endpoint = props.endpoint;
    this.endpoint.validate(this);
    if (!(props.credential instanceof ProviderCredential)) {
      throw inputError(this, 'credential', props.credential,
        'give credential: ProviderCredential.fromVault({...}), .fromSecret(...) or another ProviderCredential factory (ProviderCredential.demoLiteral for demos)');
    }
    this.credential = props.credential;
    this.allowsKeyOverPlainHttp = props.unsafeAllowKeyOverPlainHttp === true;
    if (!this.endpoint.tls && !this.allowsKeyOverPlainHttp) {
      throw inputError(this, 'endpoint without TLS', `http://${this.endpoint.hostname}:${this.endpoint.port}`,
        'the provider\'s key would cross the network in clear text; give the endpoint tls: BackendTls.verified(...), '
        + 'or, for an in-cluster demo, set unsafeAllowKeyOverPlainHttp: true on the provider');
    }
    if (!Array.isArray(props.models)) {
      throw inputError(this, 'model list', props.models, 'give models: [...] with the model ids the provider serves');
    }
    this.models = [...props.models];
    for (const model of this.models) {
      if (typeof model !== 'string' || model.trim() !== model || model.length === 0) {
        throw inputError(this, 'model id', model, 'give a non-empty model id without surrounding white space');
      }
    }
    checkUnique(this, 'model id', this.models);
    this.requestTimeout = checkGatewayApiDuration(this, 'request timeout', props.requestTimeout ?? '300s');
    this.bridgeNamespace = checkNamespace(this, 'bridge namespace', props.bridgeNamespace ?? this.gateway.namespace);
    this.bridgeRouteName = `${this.name}-bridge`;
    this.publicPathPrefix = `${this.gateway.pathPrefix}${this.name}/`;

    this.gateway._registerProvider(this);
    this.gateway._realization.addProvider(this);
    this.gateway._announceProvider(this);
    this.node.addValidation({
      validate: () => this.models.length > 0 || this.sharedModels.length > 0 ? [] : [
        `${this.node.path}: provider "${this.name}" serves no model; list its models, or route a model to it with gateway.addModel(...)`,
      ],
    });
  }

  /** Records that the shared model `modelId` routes to this provider (called by `MaasEgressGateway.addModel`). @internal */
  public _addSharedModel(modelId: string): void {
    this.sharedModels.push(modelId);
  }

  /** Path prefix of this provider on a two-hop plane's egress gateway, e.g. `/openai/`. */
  public get egressPathPrefix(): string {
    return `/${this.name}/`;
  }

  /**
   * Name of the object that serves the provider on the data plane (an
   * XBackendDestination or a ServiceEntry), as the model registry lists it.
   */
  public get backendName(): string | undefined {
    return this.gateway._realization.plane?.backendName(this);
  }

  /** Name of the provider's route on the egress gateway (two-hop planes only). */
  public get egressRouteName(): string | undefined {
    return this.gateway._realization.plane?.egressRouteName(this);
  }

  /** @internal How AuthPolicies obtain this provider's key (bound once, shared by every policy that injects it). */
  public get _credentialBinding(): CredentialBinding {
    this.binding ??= this.credential._bind(this, { providerName: this.name });
    return this.binding;
  }
}
