import type { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeDeployment, type PodSecurityContext, type PodSpec, type ResourceRequirements, type SecurityContext } from './kube-objects';

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

/**
 * A one-replica Deployment of `pod` under the restricted pod security context;
 * its selector and pod labels are `metadata.labels`.
 */
export function restrictedDeployment(scope: Construct, id: string, metadata: ApiObjectMetadata & { readonly labels: Record<string, string> },
  pod: Omit<PodSpec, 'securityContext'>): KubeDeployment {
  const { labels } = metadata;
  return new KubeDeployment(scope, id, {
    metadata,
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { ...pod, securityContext: restrictedPodSecurityContext() } },
    },
  });
}
