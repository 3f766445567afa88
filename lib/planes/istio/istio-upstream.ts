import { Construct } from 'constructs';
import { type HttpRouteSpecRulesBackendRefs, ReferenceGrant } from '../../../imports/gateway.networking.k8s.io';
import {
  DestinationRule,
  ServiceEntry,
  ServiceEntrySpecLocation,
  ServiceEntrySpecResolution,
} from '../../../imports/networking.istio.io';
import { inputError } from '../../internal/errors';
import { INSECURE_TLS_ANNOTATION } from '../../internal/annotations';
import type { IExternalProvider } from '../../contracts/external-provider';
import { checkTlsOnIstio, destinationRuleTls } from './destination-rule-tls';

/** Where an Istio plane routes a provider from and which proxy originates the connection. */
export interface IstioUpstreamPlacement {
  /** Namespace of the route whose backend is the provider (and of the ServiceEntry/DestinationRule). */
  readonly routeNamespace: string;
  /** Namespace of the gateway pods that connect to the provider. */
  readonly proxyNamespace: string;
}

const IN_CLUSTER_HOST = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?$/;

/**
 * How an Istio gateway reaches a provider. An external host gets a ServiceEntry
 * (MESH_EXTERNAL, DNS) and, with TLS, a DestinationRule that originates it, both
 * exported to the route's and the proxy's namespaces; routes reference it as
 * `kind: Hostname` (Istio 1.12+; a missing ServiceEntry shows in route status).
 * A Kubernetes Service host (`<svc>.<ns>.svc...`, e.g. a simulator) is already in
 * the mesh registry: routes reference the Service itself, with a ReferenceGrant.
 */
export class IstioUpstream {
  /** Name of what serves the provider: its ServiceEntry (and DestinationRule), or the in-cluster Service. */
  public static backendName(provider: IExternalProvider): string {
    return IN_CLUSTER_HOST.exec(provider.endpoint.hostname)?.[1] ?? `${provider.name}-backend`;
  }

  /** Emits the provider's upstream objects under `provider`; returns the backendRef that reaches it. */
  public static add(provider: IExternalProvider, placement: IstioUpstreamPlacement): HttpRouteSpecRulesBackendRefs {
    const { hostname, port, tls } = provider.endpoint;
    const service = IN_CLUSTER_HOST.exec(hostname);
    if (service) {
      if (tls) {
        throw inputError(provider, 'TLS for an in-cluster Service', hostname,
          'the mesh already secures Service-to-Service traffic; give the Service without BackendTls, or an external hostname');
      }
      return IstioUpstream.serviceBackend(provider, service[1], service[3], port, placement.routeNamespace);
    }
    if (tls) checkTlsOnIstio(provider, tls);
    const name = IstioUpstream.backendName(provider);
    const exportTo = [...new Set(['.', placement.proxyNamespace === placement.routeNamespace ? '.' : placement.proxyNamespace])];
    new ServiceEntry(provider, 'ServiceEntry', {
      metadata: { name, namespace: placement.routeNamespace },
      spec: {
        hosts: [hostname],
        location: ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
        resolution: ServiceEntrySpecResolution.DNS,
        ports: [{ number: port, name: tls ? 'https' : 'http', protocol: tls ? 'HTTPS' : provider.endpoint.protocol }],
        exportTo,
      },
    });
    if (tls) {
      new DestinationRule(provider, 'DestinationRule', {
        metadata: {
          name,
          namespace: placement.routeNamespace,
          annotations: tls.insecure ? { [INSECURE_TLS_ANNOTATION]: 'true' } : undefined,
        },
        spec: { host: hostname, exportTo, trafficPolicy: { tls: destinationRuleTls(tls, hostname) } },
      });
    }
    return { group: 'networking.istio.io', kind: 'Hostname', name: hostname, port };
  }

  private static serviceBackend(scope: Construct, name: string, namespace: string, port: number, routeNamespace: string): HttpRouteSpecRulesBackendRefs {
    if (namespace === routeNamespace) return { name, port };
    new ReferenceGrant(scope, 'ServiceGrant', {
      metadata: { name: `${routeNamespace}-to-${name}`, namespace },
      spec: {
        from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: routeNamespace }],
        to: [{ group: '', kind: 'Service', name }],
      },
    });
    return { name, namespace, port };
  }
}
