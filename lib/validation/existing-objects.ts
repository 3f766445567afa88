import type { IConstruct } from 'constructs';
import { GatewayReference } from '../core/gateway-reference';
import { type ObjectRef, refKey } from '../core/object-index';
import { AppState } from '../internal/app-state';

const declared = new AppState(() => new Map<string, ObjectRef>());

/**
 * Declares that an object exists on the cluster without being synthesized by
 * this app (such as the MaaS gateway), so references to it pass the synth-time
 * integrity check.
 */
export function declareExistingObject(scope: IConstruct, ref: ObjectRef): void {
  const refs = declared.of(scope);
  refs.set(refKey(ref), ref);
}

/** Declares an existing Gateway. */
export function declareExistingGateway(scope: IConstruct, gateway: GatewayReference): void {
  declareExistingObject(scope, { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: gateway.namespace, name: gateway.name });
}

/** Objects declared as existing in the app of `scope`. */
export function existingObjects(scope: IConstruct): ObjectRef[] {
  return [...(declared.peek(scope)?.values() ?? [])];
}

/**
 * Objects that exist on the cluster without being synthesized by this app
 * (made by another app or a manual step): declared, references to them pass
 * the synth-time integrity check. Static members only.
 */
export class ExistingObject {
  /** Declares `ref` as existing in the app of `scope`. */
  public static declare(scope: IConstruct, ref: ObjectRef): void {
    declareExistingObject(scope, ref);
  }

  /** Declares an existing Gateway, such as another team's MaaS gateway. */
  public static declareGateway(scope: IConstruct, gateway: GatewayReference): void {
    declareExistingGateway(scope, gateway);
  }

  private constructor() {}
}
