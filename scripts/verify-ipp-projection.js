'use strict';
// What the payload processor (IPP) creates from an app's ExternalProviders and
// ExternalModels, so that `npm run verify` can run the Kubernetes admission and
// istiod checkers on it. The Go module proxy serves no ai-gateway-payload-processing
// module, so its reconcilers cannot run here; this is their output as read at
// ai-gateway-payload-processing@3523334701a6e7d57e614dd9483a47612e69c226:
//   pkg/controller/externalprovider/reconciler.go  reconcileResources, buildService,
//     buildServiceEntry, buildDestinationRule (port DefaultTLSPort 443, HTTPS, TLS SIMPLE)
//   pkg/controller/externalmodel/reconciler.go     buildHTTPRoute (two rules per provider, two fallbacks)
//   pkg/controller/common/constants.go              maas-default-gateway, openshift-ingress, 300s
// Only objects whose references resolve are projected, as the reconcilers skip the rest.

const PORT = 443;
const GATEWAY = { name: 'maas-default-gateway', namespace: 'openshift-ingress' };
const TIMEOUT = '300s';
const SELECTED_PROVIDER = 'x-ipp-selected-provider';

const labels = (name) => ({ 'app.kubernetes.io/managed-by': 'ai-gateway-payload-processing', 'app.kubernetes.io/name': name });

function providerObjects(provider) {
  const { name, namespace } = provider.metadata;
  const host = provider.spec.endpoint;
  const metadata = { name, namespace, labels: labels(name) };
  return [
    { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'ExternalName', externalName: host, ports: [{ port: PORT, targetPort: PORT }] } },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata,
      spec: { hosts: [host], location: 'MESH_EXTERNAL', resolution: 'DNS', ports: [{ number: PORT, name: 'https', protocol: 'HTTPS' }] },
    },
    { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata, spec: { host, trafficPolicy: { tls: { mode: 'SIMPLE' } } } },
  ];
}

function modelRoute(model, providers) {
  const { name, namespace } = model.metadata;
  const refs = (model.spec.externalProviderRefs ?? [])
    .map((ref) => ({ ref, provider: providers.get(`${namespace}/${ref.ref?.name}`) }))
    .filter((r) => r.provider !== undefined);
  if (refs.length === 0) return undefined;
  const prefix = `/${namespace}/${name}`;
  const rule = (matches, { provider }) => ({
    matches,
    backendRefs: [{ name: provider.metadata.name, port: PORT }],
    filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'Host', value: provider.spec.endpoint }] } }],
    timeouts: { request: TIMEOUT },
  });
  const exact = (header, value) => ({ name: header, type: 'Exact', value });
  const rules = refs.flatMap((r) => [
    rule([{ path: { type: 'PathPrefix', value: prefix }, headers: [exact(SELECTED_PROVIDER, r.provider.metadata.name)] }], r),
    rule([{ path: { type: 'PathPrefix', value: '/' }, headers: [exact('X-Gateway-Model-Name', r.ref.targetModel), exact(SELECTED_PROVIDER, r.provider.metadata.name)] }], r),
  ]);
  rules.push(
    rule([{ path: { type: 'PathPrefix', value: prefix } }], refs[0]),
    // no path in the reconciler; the API server stores the CRD default, which istiod then reads
    rule([{ path: { type: 'PathPrefix', value: '/' }, headers: [exact('X-Gateway-Model-Name', refs[0].ref.targetModel)] }], refs[0]),
  );
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute',
    metadata: { name, namespace, labels: labels(name) },
    spec: { parentRefs: [{ name: GATEWAY.name, namespace: GATEWAY.namespace }], rules },
  };
}

/** The objects the payload processor creates from `manifests` (none when they hold no ExternalModel). */
function projectPayloadProcessor(manifests) {
  const isInference = (m, kind) => m && m.kind === kind && String(m.apiVersion).startsWith('inference.opendatahub.io/');
  const providers = new Map(manifests.filter((m) => isInference(m, 'ExternalProvider')).map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  const models = manifests.filter((m) => isInference(m, 'ExternalModel'));
  if (models.length === 0) return [];
  return [...[...providers.values()].flatMap(providerObjects), ...models.map((m) => modelRoute(m, providers)).filter(Boolean)];
}

module.exports = { projectPayloadProcessor, SELECTED_PROVIDER };
