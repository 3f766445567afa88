import { k8s } from 'cdk8s-plus-28';

// Pod and container security settings that OpenShift's `restricted-v2` SCC and
// the Kubernetes "restricted" Pod Security Standard both admit.

export function restrictedPodSecurityContext(): k8s.PodSecurityContext {
  return { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
}

export function restrictedContainerSecurityContext(readOnlyRootFilesystem: boolean): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Requests and limits as quantities, e.g. `{ cpu: '10m', memory: '32Mi' }`. */
export interface ResourceAmounts {
  /** CPU quantity. */
  readonly cpu: string;
  /** Memory quantity. */
  readonly memory: string;
}

export function resources(requests: ResourceAmounts, limits: ResourceAmounts): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(requests.cpu), memory: k8s.Quantity.fromString(requests.memory) },
    limits: { cpu: k8s.Quantity.fromString(limits.cpu), memory: k8s.Quantity.fromString(limits.memory) },
  };
}
