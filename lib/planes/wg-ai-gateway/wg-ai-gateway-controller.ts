import { KubeRbacBinding, KubeRbacRole, KubeService, KubeServiceAccount, type PolicyRule } from '../../internal/kube-objects';
import { Construct } from 'constructs';
import { GatewayClass } from '../../../imports/gateway.networking.k8s.io';
import { checkPinnedImage } from '../../internal/checks';
import { ensureNamespace } from '../../internal/namespaces';
import { resources, restrictedContainerSecurityContext, restrictedDeployment } from '../../internal/restricted-pod';
import { registerLibrarySynthesis } from '../../output/library-synthesis';
import { AppState } from '../../internal/app-state';

/** Properties of {@link WgAiGatewayController}. */
export interface WgAiGatewayControllerProps {
  /**
   * Controller image, pinned by tag or digest. The default is the proof of
   * concept's fork with the prefix-rewrite fix (kubernetes-sigs/wg-ai-gateway#38),
   * which predates TLS origination: with TLS providers give an image built from
   * wg-ai-gateway at 548475f or later.
   * @default WgAiGatewayController.SEED_IMAGE ('ghcr.io/nerdalert/wg-ai-gateway:prefix-rewrite-fix')
   */
  readonly image?: string;
  /**
   * Envoy image the controller deploys for each Gateway, pinned by tag or digest.
   * @default 'docker.io/envoyproxy/envoy:v1.37.0'
   */
  readonly envoyImage?: string;
}

/**
 * The wg-ai-gateway prototype controller: namespace, service account, RBAC,
 * Deployment, xDS Service and GatewayClass. It deploys an Envoy per Gateway of
 * its class. Namespace, Service name and class name are fixed because the
 * prototype hard-codes them (the Envoy bootstrap dials
 * `ai-gateway-controller.ai-gateway-system.svc:15001`; only class `wg-ai-gateway`
 * is served).
 */
export class WgAiGatewayController extends Construct {
  /** `controllerName` of the GatewayClass. */
  public static readonly CONTROLLER_NAME = 'sigs.k8s.io/wg-ai-gateway-envoy-controller';
  /** Port on which Envoys fetch their configuration (xDS). */
  public static readonly XDS_PORT = 15001;
  /** Name shared by the controller's objects. */
  public static readonly NAME = 'ai-gateway-controller';
  /** Namespace of the controller. */
  public static readonly NAMESPACE = 'ai-gateway-system';
  /** The only GatewayClass name the prototype serves. */
  public static readonly GATEWAY_CLASS_NAME = 'wg-ai-gateway';

  /** The proof of concept's controller image (kubernetes-sigs/wg-ai-gateway#38, before TLS origination landed). */
  public static readonly SEED_IMAGE = 'ghcr.io/nerdalert/wg-ai-gateway:prefix-rewrite-fix';

  /**
   * Lets the controller deploy and manage Envoys for Gateways in `namespace`
   * only: a Role and RoleBinding there with its write verbs (the ClusterRole
   * only watches). Emitted once per app and namespace.
   */
  public static grantGatewayNamespace(scope: Construct, namespace: string): void {
    const granted = grantedNamespaces.of(scope);
    if (granted.has(namespace)) return;
    granted.add(namespace);
    const name = WgAiGatewayController.NAME;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'controller' };
    new KubeRbacRole(scope, 'ControllerRole', 'Role', { metadata: { name, namespace, labels }, rules: namespacedRules() });
    new KubeRbacBinding(scope, 'ControllerRoleBinding', 'RoleBinding', {
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: WgAiGatewayController.NAMESPACE }],
    });
  }

  /** Namespace of the controller. */
  public readonly namespace = WgAiGatewayController.NAMESPACE;
  /** Controller image. */
  public readonly image: string;
  /** True when the image is the seed's, which predates TLS origination (TLS backends would get plain HTTP). */
  public readonly predatesTls: boolean;
  /** Name of the GatewayClass. */
  public readonly gatewayClassName = WgAiGatewayController.GATEWAY_CLASS_NAME;

  constructor(scope: Construct, id: string, props: WgAiGatewayControllerProps = {}) {
    super(scope, id);
    registerLibrarySynthesis(this);
    const image = checkPinnedImage(this, 'controller image', props.image ?? WgAiGatewayController.SEED_IMAGE);
    this.image = image;
    this.predatesTls = image === WgAiGatewayController.SEED_IMAGE;
    const envoyImage = checkPinnedImage(this, 'Envoy image', props.envoyImage ?? 'docker.io/envoyproxy/envoy:v1.37.0');

    const name = WgAiGatewayController.NAME;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'controller' };
    ensureNamespace(this, this.namespace);

    new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace: this.namespace, labels },
    });
    new KubeRbacRole(this, 'ClusterRole', 'ClusterRole', { metadata: { name, labels }, rules: controllerRules() });
    new KubeRbacBinding(this, 'ClusterRoleBinding', 'ClusterRoleBinding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: this.namespace }],
    });
    restrictedDeployment(this, 'Deployment', { name, namespace: this.namespace, labels }, {
      serviceAccountName: name,
      // the controller watches the API server, so it needs its token
      automountServiceAccountToken: true,
      terminationGracePeriodSeconds: 10,
      containers: [{
        name: 'manager',
        image,
        imagePullPolicy: 'IfNotPresent',
        args: [`--envoy-image=${envoyImage}`],
        ports: [{ containerPort: WgAiGatewayController.XDS_PORT, name: 'xds', protocol: 'TCP' }],
        env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
        resources: resources({ cpu: '10m', memory: '64Mi' }, { cpu: '500m', memory: '128Mi' }),
        securityContext: restrictedContainerSecurityContext(true),
      }],
    });
    new KubeService(this, 'Service', {
      metadata: { name, namespace: this.namespace, labels },
      spec: {
        selector: labels,
        ports: [{
          name: 'xds',
          port: WgAiGatewayController.XDS_PORT,
          targetPort: WgAiGatewayController.XDS_PORT,
          protocol: 'TCP',
        }],
      },
    });
    new GatewayClass(this, 'GatewayClass', {
      metadata: { name: this.gatewayClassName, labels: { ...labels, 'app.kubernetes.io/component': 'gatewayclass' } },
      spec: {
        controllerName: WgAiGatewayController.CONTROLLER_NAME,
        description: 'wg-ai-gateway Envoy for egress to external model providers',
      },
    });
  }
}

const grantedNamespaces = new AppState(() => new Set<string>());

// What the prototype's code calls, read in its informers, listers and clients:
// cluster-wide informers (list, watch); server-side apply of the per-Gateway
// Envoy objects (create, patch) and their deletion; direct Gets of Deployments
// and Services while waiting for readiness; status writes with UpdateStatus.
// It reconciles the parent Gateway of every HTTPRoute it sees, whatever its
// class (the MaaS gateway included), so only watching and the GatewayClass
// status are cluster-wide; every write is granted per egress namespace.
function controllerRules(): PolicyRule[] {
  const watch = ['list', 'watch'];
  return [
    { apiGroups: [''], resources: ['namespaces', 'secrets', 'configmaps', 'serviceaccounts', 'services'], verbs: watch },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: watch },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: watch },
    { apiGroups: ['gateway.networking.k8s.io'], resources: ['gatewayclasses', 'gateways', 'httproutes'], verbs: watch },
    { apiGroups: ['gateway.networking.k8s.io'], resources: ['gatewayclasses/status'], verbs: ['update'] },
    { apiGroups: ['ainetworking.prototype.x-k8s.io'], resources: ['xbackenddestinations'], verbs: watch },
  ];
}

/** The controller's writes, granted in each egress Gateway's namespace. */
function namespacedRules(): PolicyRule[] {
  const applied = ['create', 'patch', 'delete'];
  return [
    { apiGroups: [''], resources: ['configmaps', 'serviceaccounts'], verbs: applied },
    { apiGroups: [''], resources: ['services'], verbs: ['get', ...applied] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', ...applied] },
    { apiGroups: ['gateway.networking.k8s.io'], resources: ['gateways/status', 'httproutes/status'], verbs: ['update'] },
  ];
}
