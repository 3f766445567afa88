import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HttpRoute,
  HttpRouteSpecRules,
  HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesFiltersUrlRewritePathType,
  HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway.networking.k8s.io';
import {
  XBackendDestination,
  XBackendDestinationSpecDestinationPortsProtocol,
  XBackendDestinationSpecDestinationType,
} from '../../imports/ainetworking.prototype.x-k8s.io';
import { AuthPolicy } from '../../imports/kuadrant.io';
import { CredentialBinding, DEMO_CREDENTIAL_ANNOTATION, ProviderCredential } from '../credentials/provider-credential';
import { checkDnsLabel, checkDuration, checkNamespace, checkNonEmpty, checkUnique } from '../internal/checks';
import { inputError } from '../internal/errors';
import { INSECURE_TLS_ANNOTATION } from '../providers/backend-tls';
import { ProviderEndpoint } from '../providers/provider-endpoint';
import type { MaasEgressGateway } from './maas-egress-gateway';
import { registerLibrarySynthesis } from '../internal/library-synthesis';

/** Options of a provider, as given to {@link MaasEgressGateway.addProvider}. */
export interface ExternalProviderOptions {
  /** Where the provider is and how it is spoken to. */
  readonly endpoint: ProviderEndpoint;
  /** The provider's API key, injected by the MaaS gateway. */
  readonly credential: ProviderCredential;
  /** Model ids served by this provider; listed in `/v1/models`. */
  readonly models: string[];
  /**
   * Provider name: the path segment `/external/<name>/` and the prefix of every
   * object name. A DNS-1123 label, unique on its egress gateway.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Request timeout on the bridge and egress routes (Gateway API duration).
   * The MaaS gateway (Istio) honors it; the wg-ai-gateway prototype ignores it
   * and cuts requests at 15 s.
   * @default '300s'
   */
  readonly requestTimeout?: string;
  /**
   * Namespace of the bridge route, its AuthPolicy and token budgets. A
   * ReferenceGrant is emitted when it differs from the egress gateway's.
   * @default the egress gateway's namespace
   */
  readonly bridgeNamespace?: string;
}

/** Properties of {@link ExternalProvider}. */
export interface ExternalProviderProps extends ExternalProviderOptions {
  /** The egress gateway the provider is reached through. */
  readonly gateway: MaasEgressGateway;
}

/**
 * One external model provider reachable at `/external/<name>/` on the MaaS
 * gateway: the XBackendDestination, the egress HTTPRoute, the bridge HTTPRoute
 * on the MaaS gateway and its AuthPolicy (token review, identity, key injection).
 */
export class ExternalProvider extends Construct {
  /** Provider name. */
  public readonly name: string;
  /** The egress gateway. */
  public readonly gateway: MaasEgressGateway;
  /** Where the provider is. */
  public readonly endpoint: ProviderEndpoint;
  /** The provider's key. */
  public readonly credential: ProviderCredential;
  /** Model ids served. */
  public readonly models: readonly string[];
  /** Namespace of the bridge route and its policies. */
  public readonly bridgeNamespace: string;
  /** Name of the XBackendDestination. */
  public readonly backendName: string;
  /** Name of the HTTPRoute on the egress gateway. */
  public readonly egressRouteName: string;
  /** Name of the HTTPRoute on the MaaS gateway. */
  public readonly bridgeRouteName: string;
  /** Path prefix clients call on the MaaS gateway, e.g. `/external/openai/`. */
  public readonly publicPathPrefix: string;
  /** Request timeout on the routes. */
  public readonly requestTimeout: string;
  /** How AuthPolicies obtain this provider's key (bound once, shared by every policy that injects it). */
  public readonly credentialBinding: CredentialBinding;

  constructor(scope: Construct, id: string, props: ExternalProviderProps) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.gateway = props.gateway;
    this.name = checkDnsLabel(this, 'provider name', props.name ?? id);
    this.endpoint = props.endpoint;
    this.endpoint.validate(this);
    this.credential = props.credential;
    this.models = [...checkNonEmpty(this, 'model list', props.models)];
    for (const model of this.models) {
      if (typeof model !== 'string' || model.trim() !== model || model.length === 0) {
        throw inputError(this, 'model id', model, 'give a non-empty model id without surrounding white space');
      }
    }
    checkUnique(this, 'model id', this.models);
    this.requestTimeout = checkDuration(this, 'request timeout', props.requestTimeout ?? '300s');
    this.bridgeNamespace = checkNamespace(this, 'bridge namespace', props.bridgeNamespace ?? this.gateway.namespace);
    this.backendName = `${this.name}-backend`;
    this.egressRouteName = `${this.name}-route`;
    this.bridgeRouteName = `${this.name}-bridge`;
    this.publicPathPrefix = `${this.gateway.pathPrefix}${this.name}/`;

    this.gateway.registerProvider(this);
    this.createBackend();
    this.createEgressRoute();
    this.createBridgeRoute();
    this.credentialBinding = this.credential.bind(this, { providerName: this.name });
    this.createBridgeAuthPolicy();
  }

  /** Path prefix of this provider on the egress gateway, e.g. `/openai/`. */
  public get egressPathPrefix(): string {
    return `/${this.name}/`;
  }

  private createBackend(): void {
    const tls = this.endpoint.tls;
    new XBackendDestination(this, 'Backend', {
      metadata: {
        name: this.backendName,
        namespace: this.gateway.namespace,
        annotations: tls?.insecure ? { [INSECURE_TLS_ANNOTATION]: 'true' } : undefined,
      },
      spec: {
        destination: {
          type: XBackendDestinationSpecDestinationType.FQDN,
          fqdn: { hostname: this.endpoint.hostname },
          ports: [{
            number: this.endpoint.port,
            protocol: this.endpoint.protocol as unknown as XBackendDestinationSpecDestinationPortsProtocol,
            tls: tls?.toPortTls(this.endpoint.hostname),
          }],
        },
      },
    });
  }

  private createEgressRoute(): void {
    // A provider whose OpenAI API sits at /v1/ gets its whole path space passed
    // through (/<name>/ -> /); any other gets /<name>/v1/ -> its base path.
    const passThrough = this.endpoint.apiBasePath === '/v1/';
    const match = passThrough ? this.egressPathPrefix : `${this.egressPathPrefix}v1/`;
    const replacement = passThrough ? '/' : this.endpoint.apiBasePath;
    new HttpRoute(this, 'EgressRoute', {
      metadata: { name: this.egressRouteName, namespace: this.gateway.namespace },
      spec: {
        parentRefs: [{ name: this.gateway.gatewayName, namespace: this.gateway.namespace }],
        rules: [{
          // Host is set to the provider's: CDNs in front of hosted APIs route by it
          ...prefixRewriteRule(match, replacement, this.endpoint.hostname),
          timeouts: { request: this.requestTimeout },
          backendRefs: [{
            group: 'ainetworking.prototype.x-k8s.io',
            kind: 'Backend',
            name: this.backendName,
            port: this.endpoint.port,
          }],
        }],
      },
    });
  }

  private createBridgeRoute(): void {
    const maas = this.gateway.platform.gateway;
    const rewrite = prefixRewriteRule(this.publicPathPrefix, this.egressPathPrefix);
    new HttpRoute(this, 'BridgeRoute', {
      metadata: { name: this.bridgeRouteName, namespace: this.bridgeNamespace },
      spec: {
        parentRefs: [{ name: maas.name, namespace: maas.namespace }],
        rules: [{
          ...rewrite,
          filters: [...rewrite.filters ?? [], ...this.clientTokenRemoval()],
          timeouts: { request: this.requestTimeout },
          backendRefs: [{
            name: this.gateway.envoyServiceName,
            namespace: this.bridgeNamespace === this.gateway.namespace ? undefined : this.gateway.namespace,
            port: this.gateway.port,
          }],
        }],
      },
    });
  }

  /**
   * When the key goes into another header than `Authorization`, the client's
   * MaaS token would still be forwarded to the provider; the route drops it
   * after Authorino has checked it (route filters apply at the router).
   */
  private clientTokenRemoval(): HttpRouteSpecRulesFilters[] {
    if (this.endpoint.keyHeader.name.toLowerCase() === 'authorization') return [];
    return [{
      type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER,
      requestHeaderModifier: { remove: ['Authorization'] },
    }];
  }

  private createBridgeAuthPolicy(): void {
    const identity = this.gateway.platform.identity;
    const binding = this.credentialBinding;
    const header = this.endpoint.keyHeader;
    const metadata: ApiObjectMetadata = { name: `${this.bridgeRouteName}-auth`, namespace: this.bridgeNamespace };
    const annotations = this.credential.isDemo ? { [DEMO_CREDENTIAL_ANNOTATION]: 'true' } : undefined;
    const metadataRules = { ...identity.metadata(), ...binding.metadata };
    new AuthPolicy(this, 'BridgeAuthPolicy', {
      metadata: { ...metadata, annotations },
      spec: {
        targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: this.bridgeRouteName },
        rules: {
          authentication: identity.authentication(),
          metadata: Object.keys(metadataRules).length > 0 ? metadataRules : undefined,
          authorization: Object.keys(binding.authorization).length > 0 ? binding.authorization : undefined,
          response: {
            success: {
              filters: identity.identityFilter(),
              headers: { [header.name]: { plain: { expression: header.valueExpression(binding) } } },
            },
          },
        },
      },
    });
  }
}

function prefixRewriteRule(prefix: string, replacement: string, hostname?: string): HttpRouteSpecRules {
  return {
    matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: prefix } }],
    filters: [{
      type: HttpRouteSpecRulesFiltersType.URL_REWRITE,
      urlRewrite: {
        hostname,
        path: { type: HttpRouteSpecRulesFiltersUrlRewritePathType.REPLACE_PREFIX_MATCH, replacePrefixMatch: replacement },
      },
    }],
  };
}
