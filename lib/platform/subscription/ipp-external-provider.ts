import { Construct, type IConstruct } from 'constructs';
import { ExternalProvider as ExternalProviderResource, ExternalProviderSpecAuthType } from '../../../imports/inference.opendatahub.io';
import type { IppAuth } from './ipp-credential';
import { inputError } from '../../internal/errors';
import { BackendProtocol, ProviderEndpoint } from '../../providers/provider-endpoint';
import { defaultIppKeyHeader, IPP_PROVIDER_PORT, MaasProviderType } from '../../core/maas-provider-type';
import type { SubscriptionSettings } from './subscription-settings';

/**
 * Prefix of ExternalProvider names. The payload processor names a Service, a
 * ServiceEntry and a DestinationRule after each ExternalProvider and overwrites
 * any object of that name in the namespace, whoever owns it
 * (`pkg/controller/externalprovider/reconciler.go` `applyService`).
 */
export const PROVIDER_OBJECT_PREFIX = 'ext-';

/** The ExternalProvider (and payload-processor Service) name of provider `name`. */
export function providerObjectName(name: string): string {
  return `${PROVIDER_OBJECT_PREFIX}${name}`;
}

/** Inputs of {@link emitIppExternalProvider}. */
export interface IppExternalProviderInput {
  /** Name of the ExternalProvider object ({@link providerObjectName}). */
  readonly name: string;
  /** The provider's namespace, shared with its key Secret and models. */
  readonly namespace: string;
  /** Where the provider is. */
  readonly endpoint: ProviderEndpoint;
  /** Name of the labelled key Secret. */
  readonly secretName: string;
  /**
   * How the payload processor authenticates with the Secret.
   * @default apikey, no config
   */
  readonly auth?: IppAuth;
}

/**
 * Checks that the payload processor can reach `endpoint` the way it is described;
 * throws, naming `scope`, for what current MaaS cannot express.
 */
export function checkIppEndpoint(scope: IConstruct, endpoint: ProviderEndpoint, settings: SubscriptionSettings, authType = 'apikey'): void {
  const tls = endpoint.tls;
  const { release } = settings;
  if (!tls || endpoint.port !== IPP_PROVIDER_PORT) {
    throw inputError(scope, 'provider transport', `${tls ? 'https' : 'http'}://${endpoint.hostname}:${endpoint.port}`,
      `the payload processor of ${release.name} always opens TLS to port ${IPP_PROVIDER_PORT} of the provider and reads no port or TLS setting `
      + '(its ServiceEntry, DestinationRule and HTTPRoute use 443 and TLS SIMPLE); serve the provider with TLS on 443 under a publicly trusted certificate');
  }
  if (!release.authTypes.includes(authType)) {
    throw inputError(scope, 'provider auth', authType, `${release.name}'s ExternalProvider takes auth types ${release.authTypes.join(', ')} only`);
  }
  if (tls?.mode === 'Mutual') {
    throw inputError(scope, 'provider TLS', 'mutual', 'current MaaS originates TLS without a client certificate; a provider that needs one cannot be reached');
  }
  if (tls?.insecure) {
    throw inputError(scope, 'provider TLS', 'insecureSkipVerify', 'current MaaS always verifies the provider\'s certificate against the gateway\'s trusted CAs; give BackendTls.verified(...)');
  }
  if (tls?.caBundleSecret !== undefined) {
    throw inputError(scope, 'CA bundle Secret', tls.caBundleSecret, 'current MaaS verifies providers against the gateway\'s system trust store; leave caBundleSecret out');
  }
  if (tls && (tls.sni !== undefined || tls.subjectAltNames !== undefined)) {
    throw inputError(scope, 'provider TLS', { sni: tls.sni, subjectAltNames: tls.subjectAltNames },
      'current MaaS sends the provider hostname as SNI and checks no extra names; leave sni and subjectAltNames out');
  }
  if (endpoint.protocol === BackendProtocol.HTTP2) {
    throw inputError(scope, 'provider protocol', endpoint.protocol, 'current MaaS speaks HTTPS (HTTP/1.1) to providers; use BackendProtocol.HTTP');
  }
  if (endpoint.maasProviderType === MaasProviderType.ANTHROPIC && !settings.responseTranslation) {
    throw inputError(scope, 'MaaS provider type', endpoint.maasProviderType,
      'Anthropic\'s native Messages API needs the payload processor\'s response translation, which is off unless ConfigMap payload-processing-plugins is edited by hand; use ProviderEndpoint.anthropic(...) (its OpenAI-compatible API) or set responseTranslation on the platform once it is on');
  }
}

/**
 * Emits a current-MaaS `ExternalProvider` (`inference.opendatahub.io/v1alpha1`):
 * type, host, the key Secret, and the key header when it differs (by name or by
 * value prefix) from the one the provider type implies.
 */
export function emitIppExternalProvider(scope: Construct, input: IppExternalProviderInput): ExternalProviderResource {
  const { endpoint } = input;
  const auth = input.auth ?? { type: 'apikey', config: {} };
  const implied = defaultIppKeyHeader(endpoint.maasProviderType);
  // signed or token-exchanged requests carry the headers their generator makes; a key header applies to apikey only
  const sameHeader = auth.type !== 'apikey'
    || (endpoint.keyHeader.name.toLowerCase() === implied.name.toLowerCase() && endpoint.keyHeader.prefix === implied.prefix);
  const config = { ...auth.config, ...(sameHeader ? {} : { authHeaderName: endpoint.keyHeader.name, authValuePrefix: endpoint.keyHeader.prefix }) };
  return new ExternalProviderResource(scope, 'ExternalProvider', {
    metadata: { name: input.name, namespace: input.namespace },
    spec: {
      provider: endpoint.maasProviderType,
      endpoint: endpoint.hostname,
      // `simple` is deprecated; the payload processor's own CRD and later controllers accept only apikey, sigv4, oauth2
      auth: { type: auth.type as ExternalProviderSpecAuthType, secretRef: { name: input.secretName } },
      // the header otherwise follows the provider type; sigv4 reads service and region here
      config: Object.keys(config).length > 0 ? config : undefined,
    },
  });
}
