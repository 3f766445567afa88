import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';

// The core Kubernetes objects the library emits, typed by hand with just the
// fields it sets. Internal: not exported from lib/index.ts, so the public API
// (and jsii) never sees them, and users need no cdk8s-plus package.
//
// They serialize as cdk8s-plus's L1 `k8s.Kube*` classes did: apiVersion, kind,
// metadata, then the other fields in alphabetical order (cdk8s's ApiObject
// sorts every object's keys and drops undefined values; the Kubernetes schema's
// field order, which cdk8s-plus's converters follow, is alphabetical too).
// Quantities are strings and int-or-string ports numbers.

type Labels = Readonly<Record<string, string>>;

/** A label selector with `matchLabels` only. */
export interface LabelSelector {
  readonly matchLabels?: Labels;
}

export interface PodSecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly seccompProfile?: { readonly type: string };
}

export interface SecurityContext {
  readonly allowPrivilegeEscalation?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[] };
  readonly readOnlyRootFilesystem?: boolean;
  readonly runAsNonRoot?: boolean;
  readonly seccompProfile?: { readonly type: string };
}

/** Requests and limits; the values are Kubernetes quantities such as `'10m'` or `'32Mi'`. */
export interface ResourceRequirements {
  readonly limits?: Readonly<Record<string, string>>;
  readonly requests?: Readonly<Record<string, string>>;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly imagePullPolicy?: string;
  readonly args?: readonly string[];
  readonly env?: readonly {
    readonly name: string;
    readonly value?: string;
    readonly valueFrom?: { readonly fieldRef?: { readonly fieldPath: string } };
  }[];
  readonly ports?: readonly { readonly containerPort: number; readonly name?: string; readonly protocol?: string }[];
  readonly readinessProbe?: {
    readonly httpGet?: { readonly path?: string; readonly port: number | string };
    readonly initialDelaySeconds?: number;
  };
  readonly resources?: ResourceRequirements;
  readonly securityContext?: SecurityContext;
}

export interface PodSpec {
  readonly automountServiceAccountToken?: boolean;
  readonly containers: readonly Container[];
  readonly securityContext?: PodSecurityContext;
  readonly serviceAccountName?: string;
  readonly terminationGracePeriodSeconds?: number;
}

export interface DeploymentSpec {
  readonly replicas?: number;
  readonly selector: LabelSelector;
  readonly template: {
    readonly metadata?: ApiObjectMetadata;
    readonly spec?: PodSpec;
  };
}

export interface ServiceSpec {
  readonly selector?: Labels;
  readonly ports?: readonly {
    readonly name?: string;
    readonly port: number;
    readonly targetPort?: number | string;
    readonly protocol?: string;
  }[];
}

export interface NetworkPolicySpec {
  readonly podSelector: LabelSelector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly {
    readonly from?: readonly { readonly namespaceSelector?: LabelSelector; readonly podSelector?: LabelSelector }[];
    readonly ports?: readonly { readonly protocol?: string; readonly port?: number | string }[];
  }[];
}

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs: readonly string[];
}

export interface RoleRef {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

export interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** A core object: cdk8s's ApiObject with the group, version and kind fixed by its class. */
export abstract class KubeObject extends ApiObject {
  protected constructor(scope: Construct, id: string, apiVersion: string, kind: string, props: { readonly metadata?: ApiObjectMetadata }) {
    super(scope, id, { ...props, apiVersion, kind });
  }

  /** apiVersion, kind, metadata, then the remaining fields (sorted by ApiObject), whatever cdk8s's version orders. */
  public override toJson(): any {
    const { apiVersion, kind, metadata, ...rest } = super.toJson();
    const fields: Record<string, unknown> = {};
    for (const key of Object.keys(rest).sort()) fields[key] = rest[key];
    return { apiVersion, kind, ...(metadata === undefined ? {} : { metadata }), ...fields };
  }
}

export class KubeNamespace extends KubeObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata }) {
    super(scope, id, 'v1', 'Namespace', props);
  }
}

export class KubeConfigMap extends KubeObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata; readonly data?: Readonly<Record<string, string>> }) {
    super(scope, id, 'v1', 'ConfigMap', props);
  }
}

export class KubeSecret extends KubeObject {
  constructor(scope: Construct, id: string, props: {
    readonly metadata: ApiObjectMetadata;
    readonly type?: string;
    readonly stringData?: Readonly<Record<string, string>>;
  }) {
    super(scope, id, 'v1', 'Secret', props);
  }
}

export class KubeServiceAccount extends KubeObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata }) {
    super(scope, id, 'v1', 'ServiceAccount', props);
  }
}

export class KubeService extends KubeObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata; readonly spec: ServiceSpec }) {
    super(scope, id, 'v1', 'Service', props);
  }
}

export class KubeDeployment extends KubeObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata; readonly spec: DeploymentSpec }) {
    super(scope, id, 'apps/v1', 'Deployment', props);
  }
}

export class KubeNetworkPolicy extends KubeObject {
  constructor(scope: Construct, id: string, props: { readonly metadata: ApiObjectMetadata; readonly spec: NetworkPolicySpec }) {
    super(scope, id, 'networking.k8s.io/v1', 'NetworkPolicy', props);
  }
}

/** A Role's or ClusterRole's props. */
interface RulesProps {
  readonly metadata: ApiObjectMetadata;
  readonly rules: readonly PolicyRule[];
}

/** A RoleBinding's or ClusterRoleBinding's props. */
interface BindingProps {
  readonly metadata: ApiObjectMetadata;
  readonly roleRef: RoleRef;
  readonly subjects: readonly Subject[];
}

/** A Role or a ClusterRole. */
export class KubeRbacRole extends KubeObject {
  constructor(scope: Construct, id: string, kind: 'Role' | 'ClusterRole', props: RulesProps) {
    super(scope, id, 'rbac.authorization.k8s.io/v1', kind, props);
  }
}

/** A RoleBinding or a ClusterRoleBinding. */
export class KubeRbacBinding extends KubeObject {
  constructor(scope: Construct, id: string, kind: 'RoleBinding' | 'ClusterRoleBinding', props: BindingProps) {
    super(scope, id, 'rbac.authorization.k8s.io/v1', kind, props);
  }
}
