import { gatewayServiceName } from '../core/object-index';
import { GROUP, type K8sObject, ManifestSet } from './manifest-set';
import { proxyOfClass } from './proxies';
import type { ProxyModel } from './proxies/proxy-model';

/** The MaaS gateway every request enters by, unless told otherwise. */
export const MAAS_GATEWAY = { namespace: 'openshift-ingress', name: 'maas-default-gateway' } as const;

/** A gateway a request crosses and the data plane that implements it. */
export interface GatewayInfo {
  readonly namespace: string;
  readonly name: string;
  /** Undefined for a gateway that is not in the folder (the MaaS gateway). */
  readonly object?: K8sObject;
  /** The proxy that implements the gateway (Istio's for a gateway that is not in the folder). */
  readonly proxy: ProxyModel;
  /** Listener port the request arrives on, when known. */
  readonly port?: number;
}

/** The gateway a request enters by: `namespace/name` given, or the MaaS default gateway; Istio unless the folder says otherwise. */
export function entryGateway(set: ManifestSet, ref: { namespace: string; name: string } = MAAS_GATEWAY): GatewayInfo {
  const object = set.get(GROUP.gatewayApi, 'Gateway', ref.namespace, ref.name);
  return { ...ref, object, proxy: proxyOfClass(object?.spec?.gatewayClassName) };
}

/**
 * The Gateway of the folder whose generated Service is `namespace/service`:
 * `envoy-<ns>-<gw>` (`envoy-<gw>` in default) for wg-ai-gateway, `<gw>-<class>`
 * for Istio gateways (Deployment and Service take that name).
 */
export function gatewayBehindService(set: ManifestSet, namespace: string, service: string, port: number | undefined): GatewayInfo | undefined {
  for (const gw of set.all(GROUP.gatewayApi, 'Gateway')) {
    if (gw.metadata.namespace !== namespace) continue;
    const className = String(gw.spec?.gatewayClassName ?? '');
    if (gatewayServiceName(namespace, gw.metadata.name, className) === service) {
      return { namespace, name: gw.metadata.name, object: gw, proxy: proxyOfClass(className), port };
    }
  }
  return undefined;
}

/** Listener of `gateway` on `port`, if the Gateway object is known and has one. */
export function listenerOn(gateway: GatewayInfo, port: number | undefined): any | undefined {
  return (gateway.object?.spec?.listeners ?? []).find((l: any) => l.port === port);
}

/** The timeouts a route rule gets on the proxy of `gateway`, and the warnings that go with them. */
export function timeoutBehaviour(gateway: GatewayInfo, rule: any): { text: string; warnings: string[] } {
  return gateway.proxy.timeouts(`${gateway.namespace}/${gateway.name}`, rule);
}
