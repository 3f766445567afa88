import { Lazy } from 'cdk8s';
import { KubeConfigMap } from '../../internal/kube-objects';
import { Construct } from 'constructs';
import { inputError } from '../../internal/errors';
import { REGISTRY_LABELS, renderRegistry } from '../../internal/registry-yaml';
import { AppState } from '../../internal/app-state';
import type { IModelRegistry, RegisteredModel } from '../../contracts/model-registry';

/** Properties of {@link ExternalModelRegistry}. */
export interface ExternalModelRegistryProps {
  /** Namespace of the MaaS API. */
  readonly namespace: string;
  /**
   * Name of the ConfigMap.
   * @default 'external-model-registry'
   */
  readonly name?: string;
}

const registries = new AppState(() => new Map<string, ExternalModelRegistry>());

/**
 * The ConfigMap (`app: maas-api`, key `models`) from which the MaaS API lists
 * external models next to on-prem ones. Entries are added by providers.
 */
export class ExternalModelRegistry extends Construct implements IModelRegistry {
  /**
   * The registry of the app of `scope` for this namespace and name, created
   * under `scope` the first time: the MaaS API reads exactly one ConfigMap, so
   * every egress gateway of an app registers its models in the same one.
   */
  public static shared(scope: Construct, props: ExternalModelRegistryProps): ExternalModelRegistry {
    const byKey = registries.of(scope);
    const key = `${props.namespace}/${props.name ?? 'external-model-registry'}`;
    let registry = byKey.get(key);
    if (!registry) {
      registry = new ExternalModelRegistry(scope, 'Registry', props);
      byKey.set(key, registry);
    }
    return registry;
  }

  /** Name of the ConfigMap. */
  public readonly name: string;
  /** Namespace of the ConfigMap. */
  public readonly namespace: string;
  private readonly entries: RegisteredModel[] = [];
  private readonly ids = new Set<string>();
  private rendered?: { readonly count: number; readonly text: string };

  constructor(scope: Construct, id: string, props: ExternalModelRegistryProps) {
    super(scope, id);
    this.name = props.name ?? 'external-model-registry';
    this.namespace = props.namespace;
    new KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: this.name, namespace: this.namespace, labels: { ...REGISTRY_LABELS } },
      data: { models: Lazy.any({ produce: () => this.render() }) as unknown as string },
    });
  }

  /** The registered models, in the order they were added. */
  public get models(): RegisteredModel[] {
    return this.entries.map((entry) => ({ ...entry }));
  }

  /** Adds a model; throws, naming `requester`, when the id is already served by another provider. */
  public register(requester: Construct, model: RegisteredModel): void {
    if (this.ids.has(model.id)) {
      const taken = this.entries.find((entry) => entry.id === model.id)!;
      throw inputError(requester, 'model id', model.id,
        `provider "${taken.provider}" already serves it in the MaaS model listing (${this.namespace}/${this.name}); give each model id to one provider`);
    }
    this.entries.push({ id: model.id, provider: model.provider, backend: model.backend });
    this.ids.add(model.id);
  }

  // entries are only ever appended, so their count tells whether the text is current
  private render(): string {
    if (this.rendered?.count !== this.entries.length) this.rendered = { count: this.entries.length, text: renderRegistry(this.entries) };
    return this.rendered.text;
  }
}
