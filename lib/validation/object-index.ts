import { Manifest } from '../output/manifests';

/** A reference to a Kubernetes object by API group, kind, namespace and name. */
export interface ObjectRef {
  /** API group ('' for core). */
  readonly group: string;
  /** Kind. */
  readonly kind: string;
  /**
   * Namespace.
   * @default none: a cluster-scoped object
   */
  readonly namespace?: string;
  /** Name. */
  readonly name: string;
  /**
   * Ports a backendRef may use (Services, XBackendDestinations).
   * @default any port
   */
  readonly ports?: readonly number[];
}

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

export function refKey(ref: { group: string; kind: string; namespace?: string; name: string }): string {
  return `${ref.group}|${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

export function describeRef(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Name of the Service wg-ai-gateway creates for a Gateway of its class. */
export function envoyServiceName(namespace: string, gateway: string): string {
  return namespace === 'default' ? `envoy-${gateway}` : `envoy-${namespace}-${gateway}`;
}

/**
 * The objects a set of manifests defines or implies, with their ports: the
 * manifests themselves, the Envoy Service the wg-ai-gateway controller creates
 * for each of its Gateways, the Secret each ExternalSecret creates, and
 * objects declared to exist already.
 */
export class ObjectIndex {
  private readonly byKey = new Map<string, ObjectRef>();

  constructor(manifests: readonly Manifest[], existing: readonly ObjectRef[] = []) {
    for (const ref of existing) this.add(ref);
    for (const m of manifests) {
      const base = { group: groupOf(m.apiVersion), kind: m.kind, namespace: m.metadata.namespace, name: m.metadata.name };
      const spec = (m as any).spec ?? {};
      if (m.kind === 'Service' && base.group === '') {
        this.add({ ...base, ports: (spec.ports ?? []).map((p: any) => p.port) });
      } else if (m.kind === 'XBackendDestination') {
        this.add({ ...base, ports: (spec.destination?.ports ?? []).map((p: any) => p.number) });
      } else {
        this.add(base);
      }
      if (m.kind === 'ExternalSecret' && base.group === 'external-secrets.io') {
        this.add({ group: '', kind: 'Secret', namespace: base.namespace, name: spec.target?.name ?? base.name });
      }
      if (m.kind === 'Gateway' && spec.gatewayClassName === 'wg-ai-gateway' && base.namespace) {
        this.add({
          group: '',
          kind: 'Service',
          namespace: base.namespace,
          name: envoyServiceName(base.namespace, base.name),
          ports: (spec.listeners ?? []).map((l: any) => l.port),
        });
      }
    }
  }

  public get(ref: { group: string; kind: string; namespace?: string; name: string }): ObjectRef | undefined {
    return this.byKey.get(refKey(ref));
  }

  private add(ref: ObjectRef): void {
    this.byKey.set(refKey(ref), ref);
  }
}
