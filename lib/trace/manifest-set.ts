import type { Manifest } from '../core/manifest';
import { groupOf } from '../core/object-index';

/** A Kubernetes object as the trace reads it: loosely typed, never trusted to be complete. */
export type K8sObject = Manifest & { readonly spec?: any };

/** `Kind namespace/name`, how traces and diffs name an object. */
export function objectName(o: { kind: string; metadata: { namespace?: string; name: string } }): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

/** The objects of one output folder, indexed by API group and kind. */
export class ManifestSet {
  private readonly byGroupKind = new Map<string, K8sObject[]>();
  private readonly derived = new Map<string, unknown>();

  constructor(public readonly manifests: readonly Manifest[]) {
    for (const m of manifests) {
      const key = `${groupOf(m.apiVersion)}|${m.kind}`;
      const list = this.byGroupKind.get(key) ?? [];
      list.push(m as K8sObject);
      this.byGroupKind.set(key, list);
    }
  }

  /** Every object of a kind (group '' for core). */
  public all(group: string, kind: string): readonly K8sObject[] {
    return this.byGroupKind.get(`${group}|${kind}`) ?? [];
  }

  /**
   * What `compute` derives from these objects, computed once per key: a set is
   * never changed after construction, so an index or a per-tier sum built on
   * the first request serves every later one (the synth-time checks trace
   * every route, and each trace would otherwise scan every object again).
   */
  public derive<T>(key: string, compute: () => T): T {
    if (!this.derived.has(key)) this.derived.set(key, compute());
    return this.derived.get(key) as T;
  }

  /** One object by group, kind, namespace and name. */
  public get(group: string, kind: string, namespace: string | undefined, name: string): K8sObject | undefined {
    return this.all(group, kind).find((o) => o.metadata.name === name && (o.metadata.namespace ?? '') === (namespace ?? ''));
  }
}

/** API groups of the kinds the trace reads. */
export const GROUP = {
  gatewayApi: 'gateway.networking.k8s.io',
  kuadrant: 'kuadrant.io',
  istio: 'networking.istio.io',
  wgAiGateway: 'ainetworking.prototype.x-k8s.io',
  externalSecrets: 'external-secrets.io',
  inference: 'inference.opendatahub.io',
  maas: 'maas.opendatahub.io',
} as const;
