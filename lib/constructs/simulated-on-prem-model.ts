import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkDnsLabel, checkNamespace } from '../internal/checks';
import { ensureNamespace } from '../internal/namespaces';
import { MaasPlatform } from '../platform/maas-platform';
import { restrictedContainerSecurityContext } from '../internal/restricted-pod';
import { registerLibrarySynthesis } from '../output/library-synthesis';
import { checkPinnedImage } from '../internal/checks';

/** Properties of {@link SimulatedOnPremModel}. */
export interface SimulatedOnPremModelProps {
  /**
   * Name of the LLMInferenceService; MaaS serves it at `/llm/<name>/`.
   * @default 'simulated'
   */
  readonly name?: string;
  /**
   * Namespace of the LLMInferenceService; created by this app.
   * @default 'llm'
   */
  readonly namespace?: string;
  /**
   * Model id the simulator answers for.
   * @default 'facebook/opt-125m'
   */
  readonly model?: string;
  /**
   * Simulator image (llm-d inference simulator), pinned by tag or digest
   * (`latest`, a `-latest` tag or no tag is an error).
   * @default 'ghcr.io/llm-d/llm-d-inference-sim:v0.7.1'
   */
  readonly image?: string;
  /**
   * The MaaS installation whose gateway routes to the model.
   * @default MaasPlatform.tierBased()
   */
  readonly platform?: MaasPlatform;
}

/**
 * An on-prem KServe `LLMInferenceService` running the llm-d inference simulator,
 * routed by MaaS itself (it never crosses the egress gateway). For demos.
 */
export class SimulatedOnPremModel extends Construct {
  /** Name of the LLMInferenceService. */
  public readonly name: string;
  /** Namespace of the LLMInferenceService. */
  public readonly namespace: string;
  /** Model id served. */
  public readonly model: string;

  constructor(scope: Construct, id: string, props: SimulatedOnPremModelProps = {}) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.name = checkDnsLabel(this, 'model service name', props.name ?? 'simulated');
    this.namespace = checkNamespace(this, 'model namespace', props.namespace ?? 'llm');
    this.model = props.model ?? 'facebook/opt-125m';
    const gateway = (props.platform ?? MaasPlatform.tierBased()).gateway;
    const tls = '/var/run/kserve/tls';
    ensureNamespace(this, this.namespace);
    new ApiObject(this, 'Resource', {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'LLMInferenceService',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        annotations: { 'alpha.maas.opendatahub.io/tiers': '[]' },
      },
      spec: {
        model: { uri: 'hf://sshleifer/tiny-gpt2', name: this.model },
        replicas: 1,
        router: { route: {}, gateway: { refs: [{ name: gateway.name, namespace: gateway.namespace }] } },
        template: {
          containers: [{
            name: 'main',
            image: props.image === undefined ? 'ghcr.io/llm-d/llm-d-inference-sim:v0.7.1' : checkPinnedImage(this, 'simulator image', props.image),
            imagePullPolicy: 'IfNotPresent',
            command: ['/app/llm-d-inference-sim'],
            args: [
              '--port', '8000', '--model', this.model, '--mode', 'random',
              '--ssl-certfile', `${tls}/tls.crt`, '--ssl-keyfile', `${tls}/tls.key`,
            ],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
              { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
            ],
            ports: [{ name: 'https', containerPort: 8000, protocol: 'TCP' }],
            livenessProbe: { httpGet: { path: '/health', port: 'https', scheme: 'HTTPS' } },
            readinessProbe: { httpGet: { path: '/ready', port: 'https', scheme: 'HTTPS' } },
            resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
            securityContext: restrictedContainerSecurityContext(false),
          }],
        },
      },
    });
  }
}
