import { KubeService } from '../internal/kube-objects';
import { Construct } from 'constructs';
import { KeyHeader } from '../credentials/key-header';
import { DEMO_CREDENTIAL_ANNOTATION, ProviderCredential } from '../credentials/provider-credential';
import { checkDnsLabel, checkNamespace, checkPort } from '../internal/checks';
import { inputError } from '../internal/errors';
import { ensureNamespace } from '../internal/namespaces';
import { ProviderEndpoint } from '../providers/provider-endpoint';
import { resources, restrictedContainerSecurityContext, restrictedDeployment } from '../internal/restricted-pod';
import { registerLibrarySynthesis } from '../output/library-synthesis';
import { checkPinnedImage } from '../internal/checks';

/** The proof of concept's simulator image; upstream publishes it only as `latest`. */
const DEFAULT_IMAGE = 'ghcr.io/nerdalert/provider-sim:latest';

/** Properties of {@link ProviderSimulator}. */
export interface ProviderSimulatorProps {
  /** Model id the simulator answers for (`--model`). */
  readonly model: string;
  /** Key the simulator accepts in `X-Provider-Api-Key`; must be a demo literal. */
  readonly apiKey: ProviderCredential;
  /**
   * Name of the Deployment and Service.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the simulator; created by this app.
   * @default 'external-models'
   */
  readonly namespace?: string;
  /**
   * Container image of the simulator, pinned by tag or digest (`latest`, a
   * `-latest` tag or no tag is an error). The default is the proof of concept's
   * image, which upstream publishes only as `latest`: pin your own build or a
   * digest for anything but a demo.
   * @default 'ghcr.io/nerdalert/provider-sim:latest'
   */
  readonly image?: string;
  /**
   * Port the simulator listens on.
   * @default 8000
   */
  readonly port?: number;
}

/**
 * A key-validating OpenAI-style provider simulator (Deployment and Service) for
 * demos: it answers `/v1/chat/completions`, `/v1/completions` and `/v1/models`
 * only when `X-Provider-Api-Key` equals its key.
 */
export class ProviderSimulator extends Construct {
  /** Header the simulator reads the key from. */
  public static readonly KEY_HEADER = 'X-Provider-Api-Key';

  /** Name of the Deployment and Service. */
  public readonly name: string;
  /** Namespace of the simulator. */
  public readonly namespace: string;
  /** Port of the Service. */
  public readonly port: number;
  /** The model the simulator serves. */
  public readonly model: string;
  /** The key the simulator accepts; give it to the provider that fronts it. */
  public readonly apiKey: ProviderCredential;

  constructor(scope: Construct, id: string, props: ProviderSimulatorProps) {
    super(scope, id);
    registerLibrarySynthesis(this);
    this.name = checkDnsLabel(this, 'simulator name', props.name ?? id);
    this.namespace = checkNamespace(this, 'simulator namespace', props.namespace ?? 'external-models');
    this.port = checkPort(this, 'simulator port', props.port ?? 8000);
    if (!props.model) throw inputError(this, 'simulator model', props.model, 'give the model id the simulator serves');
    this.model = props.model;
    // the default floats (upstream publishes no other tag); what a user gives must not
    const image = props.image === undefined ? DEFAULT_IMAGE : checkPinnedImage(this, 'simulator image', props.image);
    if (!props.apiKey.isDemo) {
      throw inputError(this, 'simulator key', '(secret-backed credential)',
        'a simulator takes its key as a command-line argument; give ProviderCredential.demoLiteral(...)');
    }
    this.apiKey = props.apiKey;
    const key = props.apiKey._bind(this, { providerName: this.name }).demoValue as string;

    ensureNamespace(this, this.namespace);
    const labels = { app: this.name };
    restrictedDeployment(this, 'Deployment', {
      name: this.name,
      namespace: this.namespace,
      labels,
      annotations: { [DEMO_CREDENTIAL_ANNOTATION]: 'true' },
    }, {
      automountServiceAccountToken: false,
      containers: [{
        name: 'simulator',
        image,
        args: ['--port', String(this.port), '--model', this.model, '--api-key', key],
        ports: [{ containerPort: this.port, name: 'http' }],
        readinessProbe: {
          httpGet: { path: '/health', port: this.port },
          initialDelaySeconds: 2,
        },
        resources: resources({ cpu: '10m', memory: '32Mi' }, { cpu: '100m', memory: '64Mi' }),
        securityContext: restrictedContainerSecurityContext(false),
      }],
    });
    new KubeService(this, 'Service', {
      metadata: { name: this.name, namespace: this.namespace, labels },
      spec: {
        selector: labels,
        ports: [{ name: 'http', port: this.port, targetPort: this.port }],
      },
    });
  }

  /** Cluster DNS name of the simulator's Service. */
  public get hostname(): string {
    return `${this.name}.${this.namespace}.svc.cluster.local`;
  }

  /** The endpoint of this simulator, for an {@link ExternalProvider}. */
  public endpoint(): ProviderEndpoint {
    return ProviderEndpoint.custom({
      hostname: this.hostname,
      port: this.port,
      keyHeader: KeyHeader.plain(ProviderSimulator.KEY_HEADER),
    });
  }
}
