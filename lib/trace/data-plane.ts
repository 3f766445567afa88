import { gatewayServiceName } from '../core/object-index';
import { GROUP, K8sObject, ManifestSet } from './manifest-set';

/** The MaaS gateway every request enters by, unless told otherwise. */
export const MAAS_GATEWAY = { namespace: 'openshift-ingress', name: 'maas-default-gateway' } as const;

/** Class of the wg-ai-gateway prototype. */
export const WG_AI_GATEWAY_CLASS = 'wg-ai-gateway';

/** A gateway a request crosses and the data plane that implements it. */
export interface GatewayInfo {
  readonly namespace: string;
  readonly name: string;
  /** Undefined for a gateway that is not in the folder (the MaaS gateway). */
  readonly object?: K8sObject;
  /** `wg-ai-gateway` or `istio` (any other class: OpenShift's and upstream Istio's). */
  readonly plane: 'wg-ai-gateway' | 'istio';
  /** Listener port the request arrives on, when known. */
  readonly port?: number;
}

/** The gateway a request enters by: `namespace/name` given, or the MaaS default gateway; Istio unless the folder says otherwise. */
export function entryGateway(set: ManifestSet, ref: { namespace: string; name: string } = MAAS_GATEWAY): GatewayInfo {
  const object = set.get(GROUP.gatewayApi, 'Gateway', ref.namespace, ref.name);
  return { ...ref, object, plane: object?.spec?.gatewayClassName === WG_AI_GATEWAY_CLASS ? 'wg-ai-gateway' : 'istio' };
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
    const wg = className === WG_AI_GATEWAY_CLASS;
    if (gatewayServiceName(namespace, gw.metadata.name, className) === service) {
      return { namespace, name: gw.metadata.name, object: gw, plane: wg ? 'wg-ai-gateway' : 'istio', port };
    }
  }
  return undefined;
}

/** Listener of `gateway` on `port`, if the Gateway object is known and has one. */
export function listenerOn(gateway: GatewayInfo, port: number | undefined): any | undefined {
  return (gateway.object?.spec?.listeners ?? []).find((l: any) => l.port === port);
}

/** The timeouts a route rule gets on a data plane, and the warnings that go with them. */
export function timeoutBehaviour(gateway: GatewayInfo, rule: any): { text: string; warnings: string[] } {
  const request = rule?.timeouts?.request;
  if (gateway.plane === 'wg-ai-gateway') {
    const warnings = [`wg-ai-gateway (${gateway.namespace}/${gateway.name}) cuts streams idle for 15 s and requests after 60 s, whatever the manifests say: long or streaming completions are cut off`];
    if (rule?.timeouts) warnings.push(`wg-ai-gateway ignores HTTPRoute timeouts (${JSON.stringify(rule.timeouts)} on this rule)`);
    return { text: '15 s idle, 60 s request (wg-ai-gateway fixed values)', warnings };
  }
  const backend = rule?.timeouts?.backendRequest;
  if (backend && backend !== '0s') return { text: `${backend} per backend request (timeouts.backendRequest), no idle timeout`, warnings: [] };
  if (request && request !== '0s') return { text: `${request} for the whole response (timeouts.request), no idle timeout`, warnings: [] };
  return { text: 'none (Istio: no route timeout when timeouts.request is unset, no idle timeout)', warnings: [] };
}
