import { describeManifest, type Manifest } from '../core/manifest';
import { describeRef, ObjectIndex, type ObjectRef } from '../core/object-index';

const INFERENCE = 'inference.opendatahub.io';
const MAAS = 'maas.opendatahub.io';

/**
 * Dangling references between current-MaaS objects, which the cluster accepts
 * and MaaS then leaves unserved: an ExternalModel's provider, an
 * ExternalProvider's key Secret, a MaaSModelRef's model, the models of a
 * MaaSSubscription or MaaSAuthPolicy.
 */
export function maasReferenceProblems(manifests: readonly Manifest[], index: ObjectIndex, declareFix: (ref: ObjectRef) => string): string[] {
  const problems: string[] = [];
  const check = (m: Manifest, what: string, ref: ObjectRef) => {
    if (!index.get(ref)) problems.push(`${describeManifest(m)}: ${what} ${describeRef(ref)} does not exist; ${declareFix(ref)}`);
  };
  for (const m of manifests as any[]) {
    const group = String(m.apiVersion).split('/')[0];
    const ns: string | undefined = m.metadata.namespace;
    const spec = m.spec ?? {};
    if (group === INFERENCE && m.kind === 'ExternalModel') {
      for (const ref of spec.externalProviderRefs ?? []) check(m, 'provider', { group: INFERENCE, kind: 'ExternalProvider', namespace: ref.ref?.namespace ?? ns, name: ref.ref?.name });
    }
    if (group === INFERENCE && m.kind === 'ExternalProvider' && spec.auth?.secretRef?.name) {
      check(m, 'key Secret', { group: '', kind: 'Secret', namespace: ns, name: spec.auth.secretRef.name });
    }
    if (group === MAAS && m.kind === 'MaaSModelRef' && spec.modelRef?.kind === 'ExternalModel') {
      check(m, 'model', { group: INFERENCE, kind: 'ExternalModel', namespace: ns, name: spec.modelRef.name });
    }
    if (group === MAAS && (m.kind === 'MaaSSubscription' || m.kind === 'MaaSAuthPolicy')) {
      for (const ref of spec.modelRefs ?? []) check(m, 'model', { group: MAAS, kind: 'MaaSModelRef', namespace: ref.namespace, name: ref.name });
    }
  }
  return problems;
}
