import { ApiObject, JsonPatch } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { beforeSynthesis } from '../internal/before-synthesis';

// Cluster-scoped kinds by API group: Kubernetes' own and those of the CRDs the
// library knows. A namespace on such an object means nothing to the API server,
// but Argo CD and kustomize treat it as a different object.
const CLUSTER_SCOPED: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['', new Set(['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'])],
  ['rbac.authorization.k8s.io', new Set(['ClusterRole', 'ClusterRoleBinding'])],
  ['apiextensions.k8s.io', new Set(['CustomResourceDefinition'])],
  ['apiregistration.k8s.io', new Set(['APIService'])],
  ['admissionregistration.k8s.io', new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
    'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'])],
  ['storage.k8s.io', new Set(['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment'])],
  ['scheduling.k8s.io', new Set(['PriorityClass'])],
  ['node.k8s.io', new Set(['RuntimeClass'])],
  ['networking.k8s.io', new Set(['IngressClass'])],
  ['certificates.k8s.io', new Set(['CertificateSigningRequest'])],
  ['flowcontrol.apiserver.k8s.io', new Set(['FlowSchema', 'PriorityLevelConfiguration'])],
  ['gateway.networking.k8s.io', new Set(['GatewayClass'])],
  ['external-secrets.io', new Set(['ClusterSecretStore', 'ClusterExternalSecret'])],
]);

/** True when objects of `kind` in the API group of `apiVersion` are cluster-scoped. */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return CLUSTER_SCOPED.get(group)?.has(kind) ?? false;
}

const handled = new WeakSet<ApiObject>();

/**
 * Removes the namespace from every cluster-scoped object of the app of
 * `scope`: a Chart created with `namespace` stamps it on every object it holds,
 * the library's ClusterRoles, GatewayClass and Namespaces included. Idempotent.
 */
export function removeClusterScopedNamespaces(scope: IConstruct): void {
  for (const construct of scope.node.root.node.findAll()) {
    if (!(construct instanceof ApiObject) || handled.has(construct)) continue;
    handled.add(construct);
    if (construct.metadata.namespace !== undefined && isClusterScoped(construct.apiVersion, construct.kind)) {
      construct.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
  }
}

/** Makes every synthesis of the app of `scope` remove those namespaces first. Idempotent per app. */
export function registerClusterScope(scope: IConstruct): void {
  beforeSynthesis(scope, removeClusterScopedNamespaces);
}
