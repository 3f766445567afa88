import { PodSecurityContext, ResourceRequirements, SecurityContext } from './kube-objects';

// Pod and container security settings that OpenShift's `restricted-v2` SCC and
// the Kubernetes "restricted" Pod Security Standard both admit.

export function restrictedPodSecurityContext(): PodSecurityContext {
  return { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
}

export function restrictedContainerSecurityContext(readOnlyRootFilesystem: boolean): SecurityContext {
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

export function resources(requests: ResourceAmounts, limits: ResourceAmounts): ResourceRequirements {
  return {
    requests: { cpu: requests.cpu, memory: requests.memory },
    limits: { cpu: limits.cpu, memory: limits.memory },
  };
}
