import type { Manifest } from './manifest';

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
  readonly ports?: number[];
}

/** The MaaS default gateway, which every check of output takes as existing on the cluster. */
export const MAAS_DEFAULT_GATEWAY_REF: ObjectRef = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'openshift-ingress', name: 'maas-default-gateway' };

/**
 * Parses `[group/]Kind/namespace/name` (an empty namespace for a cluster-scoped
 * object); without a group, Gateway API kinds get theirs and others the core group.
 */
export function parseObjectRef(given: string): ObjectRef {
  const parts = String(given).split('/');
  if (parts.length < 3 || parts.length > 4) throw new Error(`an existing object is [group/]Kind/namespace/name, got "${given}"`);
  const [group, kind, namespace, name] = parts.length === 4 ? parts : [defaultGroup(parts[0]), ...parts];
  return { group, kind, namespace: namespace || undefined, name };
}

function defaultGroup(kind: string): string {
  return ['Gateway', 'HTTPRoute', 'GatewayClass', 'ReferenceGrant'].includes(kind) ? 'gateway.networking.k8s.io' : '';
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
 * Name of the Service a controller deploys for a Gateway: wg-ai-gateway's
 * Envoy naming for its class, Istio's `<gateway>-<class>` for any other.
 */
export function gatewayServiceName(namespace: string, gateway: string, className: string): string {
  return className === 'wg-ai-gateway' ? envoyServiceName(namespace, gateway) : `${gateway}-${className}`;
}

/**
 * The objects a set of manifests defines or implies, with their ports: the
 * manifests themselves, the Service the gateway controller (wg-ai-gateway or
 * Istio) creates for each Gateway, the Secret each ExternalSecret creates, and
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
      if (m.kind === 'Gateway' && base.group === 'gateway.networking.k8s.io' && base.namespace && spec.gatewayClassName) {
        this.add({
          group: '',
          kind: 'Service',
          namespace: base.namespace,
          name: gatewayServiceName(base.namespace, base.name, spec.gatewayClassName),
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
