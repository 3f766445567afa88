import { createHash } from 'crypto';
import { isDnsLabel } from '../../internal/checks';

/**
 * The object name of a model on current MaaS. MaaS references models by a name
 * of at most 63 characters, while model ids may hold `/`, `.`, `:` or upper case
 * (`Qwen/Qwen3-0.6B`): such ids get a DNS label plus a hash of the id, so two
 * ids never share a name. The id itself goes into `spec.modelName`.
 */
export function modelResourceName(modelId: string): string {
  if (isDnsLabel(modelId)) return modelId;
  const base = modelId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 54).replace(/-$/, '');
  const hash = createHash('sha256').update(modelId).digest('hex').slice(0, 8);
  return base ? `${base}-${hash}` : `model-${hash}`;
}
