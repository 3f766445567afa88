import { Construct } from 'constructs';
import {
  EnvoyFilter,
  EnvoyFilterSpecConfigPatchesApplyTo,
  EnvoyFilterSpecConfigPatchesMatchContext,
  EnvoyFilterSpecConfigPatchesPatchOperation,
} from '../../../imports/networking.istio.io';
import { GatewayReference } from '../../core/gateway-reference';

/**
 * An EnvoyFilter that removes `Accept-Encoding` from every request the MaaS
 * gateway forwards. Kuadrant counts tokens in the raw response bytes, so a
 * compressed answer is never counted; the payload processor strips the header
 * only in its external-metering plugin, which MaaS does not enable
 * (models-as-a-service `deployment/base/payload-processing/manager/plugins-configmap.yaml` @c0639b1),
 * and its HTTPRoutes take no filter of the library's. Merged into every route of
 * the gateway's proxies: uncompressed answers are harmless for the other routes.
 */
export function emitAcceptEncodingGuard(scope: Construct, gateway: GatewayReference, name: string): EnvoyFilter {
  return new EnvoyFilter(scope, 'AcceptEncodingGuard', {
    metadata: { name, namespace: gateway.namespace },
    spec: {
      workloadSelector: { labels: { ...gateway.podLabels } },
      configPatches: [{
        applyTo: EnvoyFilterSpecConfigPatchesApplyTo.HTTP_UNDERSCORE_ROUTE,
        match: { context: EnvoyFilterSpecConfigPatchesMatchContext.GATEWAY },
        patch: { operation: EnvoyFilterSpecConfigPatchesPatchOperation.MERGE, value: { request_headers_to_remove: ['accept-encoding'] } },
      }],
    },
  });
}
