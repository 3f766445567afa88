import { isModelRegistry, parseRegistry } from '../internal/registry-yaml';
import { GROUP, type K8sObject, ManifestSet, objectName } from './manifest-set';

/** How one model appears in the MaaS API's `/v1/models`, and the object that lists it there. */
interface ListedModel {
  /** What the listing says of the model, e.g. `owned_by openai, served by openai-backend`. */
  readonly entry: string;
  /** The object the MaaS API reads it from (`Kind namespace/name`). */
  readonly source: string;
}

/** Registry ConfigMaps of tier-based MaaS: data `models`, a YAML list of `{ id, provider, backend }`. */
function registryEntries(set: ManifestSet): Array<[string, ListedModel]> {
  return set.all('', 'ConfigMap').filter(isModelRegistry).flatMap((map: K8sObject) => {
    let models: unknown;
    try {
      models = parseRegistry(String((map as any).data.models));
    } catch {
      return [];
    }
    if (!Array.isArray(models)) return [];
    return models.filter((m) => m && typeof m.id === 'string').map((m): [string, ListedModel] => [m.id, {
      entry: `owned_by ${m.provider ?? '-'}, served by ${m.backend ?? '-'}`,
      source: objectName(map),
    }]);
  });
}

/** MaaSModelRefs of current MaaS: the listed id is the object's name, the display name an annotation. */
function modelRefEntries(set: ManifestSet): Array<[string, ListedModel]> {
  return set.all(GROUP.maas, 'MaaSModelRef').map((ref): [string, ListedModel] => {
    const display = (ref.metadata as any).annotations?.['openshift.io/display-name'];
    const target = ref.spec?.modelRef ? `${ref.spec.modelRef.kind} ${ref.spec.modelRef.name}` : '-';
    return [String(ref.metadata.name), {
      entry: `${target}${display ? `, display name "${display}"` : ''}`,
      source: objectName(ref),
    }];
  });
}

/** One model's entries in `/v1/models` and the objects they come from. */
export interface Listing {
  /** Every entry of the model, sorted, joined by `; ` (a model listed twice shows both). */
  readonly text: string;
  /** The objects its entries are read from (`Kind namespace/name`). */
  readonly sources: readonly string[];
}

/**
 * What `/v1/models` lists, by model id, as the manifests tell it: the registry
 * ConfigMaps (tier-based MaaS) and the MaaSModelRefs (current MaaS).
 */
export function modelListing(set: ManifestSet): Map<string, Listing> {
  const byId = new Map<string, ListedModel[]>();
  for (const [id, model] of [...registryEntries(set), ...modelRefEntries(set)]) byId.set(id, [...(byId.get(id) ?? []), model]);
  return new Map([...byId].map(([id, models]) => [id, {
    text: models.map((m) => `${m.entry} (${m.source})`).sort().join('; '),
    sources: models.map((m) => m.source),
  }]));
}
