import type { IConstruct } from 'constructs';
import { isDnsLabel } from '../../internal/checks';
import { inputError } from '../../internal/errors';
import type { ReleaseTraits } from './release-traits';

/** Longest model id current MaaS takes: `modelRefs[].name` of MaaSSubscription and MaaSAuthPolicy. */
export const MAX_MAAS_MODEL_ID = 63;

/**
 * True when `id` can be a model on current MaaS: the ExternalModel and
 * MaaSModelRef `metadata.name`, which MaaS lists in `/v1/models` and matches
 * subscriptions against (maas-api `internal/models/maasmodelref.go`, `modelID = modelRefName`).
 */
export function isMaasModelId(id: string): boolean {
  return typeof id === 'string' && id.length <= MAX_MAAS_MODEL_ID && id.split('.').every(isDnsLabel);
}

/** The nearest valid MaaS model id to `id` (lower case, other characters become "-"), for error messages. */
export function suggestMaasModelId(id: string): string {
  const suggested = id.toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .split('.').map((label) => label.replace(/-+/g, '-').replace(/^-|-$/g, '')).filter((label) => label.length > 0).join('.')
    .slice(0, MAX_MAAS_MODEL_ID)
    .replace(/[-.]+$/, '');
  return suggested.length > 0 ? suggested : 'model';
}

/**
 * Checks a client-facing model id on current MaaS; an id that cannot be an
 * object name (`Qwen/Qwen3-0.6B`) is refused with the id to serve it under instead.
 */
export function checkMaasModelId(scope: IConstruct, id: string, traits: ReleaseTraits, providerName?: string): string {
  if (isMaasModelId(id)) return id;
  const suggested = suggestMaasModelId(id);
  const provider = providerName === undefined ? 'provider' : `<${providerName} provider>`;
  const why = `current MaaS lists, subscribes and routes a model by its object name (a lower-case DNS subdomain of at most ${MAX_MAAS_MODEL_ID} characters; dots are fine)`;
  const fix = traits.targetModels === 'any'
    ? `serve it as egress.addModel('${suggested}', { routes: [{ provider: ${provider}, targetModel: '${id}' }] }) so clients call "${suggested}" and the provider gets "${id}"`
    : `${traits.name} sends the provider the id the client sent, so have the provider serve the model as "${suggested}" (vLLM: --served-model-name ${suggested}) and list that id`;
  throw inputError(scope, 'model id', id, `${why}; ${fix}`);
}
