import { GROUP, type K8sObject, ManifestSet, objectName } from './manifest-set';
import type { GatewayRef } from './route-selection';

/** The Kuadrant policy of one kind that governs a route, after Kuadrant's override rules. */
export interface EffectivePolicy {
  readonly policy: K8sObject;
  /** Whether it targets the route itself or its Gateway. */
  readonly level: 'route' | 'gateway';
  /** AuthPolicy `rules`, or RateLimitPolicy/TokenRateLimitPolicy `limits`. */
  readonly body: any;
  /** Policies of the same kind that also target the route or gateway but do not apply, each with why. */
  readonly displaced: readonly string[];
}

export type PolicyKind = 'AuthPolicy' | 'RateLimitPolicy' | 'TokenRateLimitPolicy';

/**
 * The policies of `kind` in the set that target `targetKind` `namespace/name`,
 * sorted by name; from an index built once per set and kind. A policy only
 * targets objects of its own namespace.
 */
function targeting(set: ManifestSet, kind: PolicyKind, targetKind: string, namespace: string, name: string): readonly K8sObject[] {
  const index = set.derive(`policies-by-target|${kind}`, () => {
    const byTarget = new Map<string, K8sObject[]>();
    for (const policy of set.all(GROUP.kuadrant, kind)) {
      const refs: any[] = policy.spec?.targetRefs ?? (policy.spec?.targetRef ? [policy.spec.targetRef] : []);
      const keys = new Set(refs.filter((ref) => (ref.group ?? GROUP.gatewayApi) === GROUP.gatewayApi)
        .map((ref) => targetKey(ref.kind, policy.metadata.namespace ?? '', ref.name)));
      for (const key of keys) byTarget.set(key, [...(byTarget.get(key) ?? []), policy]);
    }
    for (const list of byTarget.values()) list.sort(byName);
    return byTarget;
  });
  return index.get(targetKey(targetKind, namespace, name)) ?? [];
}

function targetKey(kind: string, namespace: string, name: string): string {
  return `${kind}|${namespace}|${name}`;
}

function bodyOf(policy: K8sObject, kind: PolicyKind): { body: any; overrides: boolean } {
  const field = kind === 'AuthPolicy' ? 'rules' : 'limits';
  const spec = policy.spec ?? {};
  if (spec.overrides?.[field] !== undefined) return { body: spec.overrides[field], overrides: true };
  return { body: spec[field] ?? spec.defaults?.[field], overrides: false };
}

function byName(a: K8sObject, b: K8sObject): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/**
 * The policy of `kind` that applies to `route` on `gateway`: a gateway-level
 * policy with `overrides` wins; otherwise a route-level policy replaces the
 * gateway-level one (Kuadrant's default atomic strategy); otherwise the
 * gateway-level one applies. Undefined when no policy in the set applies.
 */
export function effectivePolicy(set: ManifestSet, kind: PolicyKind, route: K8sObject, gateway: GatewayRef): EffectivePolicy | undefined {
  const onRoute = targeting(set, kind, 'HTTPRoute', route.metadata.namespace ?? '', route.metadata.name);
  const onGateway = targeting(set, kind, 'Gateway', gateway.namespace, gateway.name);
  const overriding = onGateway.filter((p) => bodyOf(p, kind).overrides);
  const [chosen, level] = overriding.length > 0 ? [overriding[0], 'gateway' as const]
    : onRoute.length > 0 ? [onRoute[0], 'route' as const]
      : onGateway.length > 0 ? [onGateway[0], 'gateway' as const] : [undefined, undefined];
  if (!chosen || !level) return undefined;
  const displaced = [...onRoute, ...onGateway].filter((p) => p !== chosen).map((p) => {
    const why = onGateway.includes(p) && level === 'route' ? 'replaced by the route-level policy'
      : overriding.includes(chosen) && onRoute.includes(p) ? 'overridden by the gateway-level overrides' : 'another policy of the same kind targets the same object';
    return `${objectName(p)}: ${why}`;
  });
  return { policy: chosen, level, body: bodyOf(chosen, kind).body, displaced };
}
