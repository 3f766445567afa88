/** A limit per user and model as given on a unified endpoint (requests or tokens). */
export interface ModelScopedLimit {
  readonly models?: string[];
  readonly tier?: string;
  readonly window?: string;
}

/** One Kuadrant limit for one model (and tier), with a stable name. */
export interface ExpandedModelLimit {
  readonly name: string;
  readonly model: string;
  readonly tier?: string;
  readonly amount: number;
  readonly window: string;
}

/**
 * One limit per (limit, model) over `models`; names are stable slugs of tier
 * and model. Models no provider serves are skipped (reported separately).
 */
export function expandModelLimits<T extends ModelScopedLimit>(models: readonly string[], limits: readonly T[],
  unit: string, amount: (limit: T) => number): ExpandedModelLimit[] {
  const known = new Set(models);
  const slugs = modelSlugs(models);
  const out: ExpandedModelLimit[] = [];
  for (const limit of limits) {
    for (const model of limit.models ?? models) {
      if (!known.has(model)) continue;
      const name = `${limit.tier ? `${limit.tier}-` : ''}${slugs.get(model)}-${unit}`;
      out.push({ name, model, tier: limit.tier, amount: amount(limit), window: limit.window ?? '1m' });
    }
  }
  return out;
}

/** Lowercase DNS-style slugs of model ids, made unique in registration order. */
function modelSlugs(models: readonly string[]): Map<string, string> {
  const slugs = new Map<string, string>();
  const used = new Set<string>();
  for (const model of models) {
    const base = model.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
    let slug = base;
    for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
    used.add(slug);
    slugs.set(model, slug);
  }
  return slugs;
}
