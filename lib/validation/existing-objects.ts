import { IConstruct } from 'constructs';
import { GatewayReference } from '../platform/gateway-reference';
import { ObjectRef, refKey } from './object-index';

const declared = new WeakMap<IConstruct, Map<string, ObjectRef>>();

/**
 * Declares that an object exists on the cluster without being synthesized by
 * this app (such as the MaaS gateway), so references to it pass the synth-time
 * integrity check.
 */
export function declareExistingObject(scope: IConstruct, ref: ObjectRef): void {
  const root = scope.node.root;
  const refs = declared.get(root) ?? new Map<string, ObjectRef>();
  declared.set(root, refs);
  refs.set(refKey(ref), ref);
}

/** Declares an existing Gateway. */
export function declareExistingGateway(scope: IConstruct, gateway: GatewayReference): void {
  declareExistingObject(scope, { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: gateway.namespace, name: gateway.name });
}

/** Objects declared as existing in the app of `scope`. */
export function existingObjects(scope: IConstruct): ObjectRef[] {
  return [...(declared.get(scope.node.root)?.values() ?? [])];
}
