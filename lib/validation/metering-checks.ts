import { PLAINTEXT_KEY_ANNOTATION } from '../internal/annotations';
import { describeManifest, type Manifest } from '../core/manifest';
import { effectiveSyncWave } from '../core/sync-wave';
import { MAAS_GATEWAY } from '../trace/data-plane';
import { limitNamesTier } from '../trace/limit-evaluation';
import { type K8sObject, ManifestSet, objectName } from '../trace/manifest-set';
import { effectivePolicy, type EffectivePolicy } from '../trace/policy-resolution';
import { routesOf } from '../trace/route-selection';
import { traceRequest } from '../trace/tracer';

/** The tiers an AuthPolicy's authorization rules admit, or undefined when no rule restricts the tier. */
export function admittedTiers(rules: any): string[] | undefined {
  const predicates: string[] = Object.values<any>(rules?.authorization ?? {})
    .filter((rule) => rule && rule.when === undefined)
    .flatMap((rule) => (rule.patternMatching?.patterns ?? []).map((p: any) => String(p.predicate ?? '')));
  for (const predicate of predicates) {
    // `<tier expression> in ["free", ...]` (the tier lookup) or `.matches("^...-tier-(free|...):[^:]+$")` (namespaces)
    const list = /\btier\b[^&|]*\bin\s*\[([^\]]*)\]/.exec(predicate);
    if (list) return [...list[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    const pattern = /\.matches\("\^[^"]*-tier-\(([a-z0-9|-]+)\):\[\^:\]\+\$"\)/.exec(predicate);
    if (pattern) return pattern[1].split('|');
  }
  return undefined;
}

/** Some limit of the token policy names `tier` and counts per caller. */
function tierLimited(tokens: EffectivePolicy, tier: string): boolean {
  return Object.values<any>(tokens.body ?? {}).some((limit) => limitNamesTier(tokens, limit, tier)
    && (limit?.rates ?? []).length > 0 && (limit?.counters ?? []).length > 0);
}

function unknownTiersGetNothing(limits: Record<string, any>): boolean {
  return Object.values<any>(limits ?? {}).some((limit) =>
    (limit?.rates ?? []).some((r: any) => Number(r.limit) === 0)
    && (limit?.when ?? []).some((w: any) => /!\(auth\.identity\.tier in \[/.test(String(w?.predicate ?? ''))));
}

/** A probe path under the route's first match. */
function probePath(route: K8sObject): string | undefined {
  const match = route.spec?.rules?.[0]?.matches?.[0];
  const value = String(match?.path?.value ?? '/');
  if ((match?.path?.type ?? 'PathPrefix') === 'Exact') return value;
  if (match?.path?.type === 'RegularExpression') return undefined;
  const base = value.endsWith('/') ? value : `${value}/`;
  return base.endsWith('/v1/') ? `${base}chat/completions` : `${base}v1/chat/completions`;
}

function waveProblem(policy: EffectivePolicy | undefined, route: K8sObject): string[] {
  if (!policy || policy.level !== 'route') return [];
  const [p, r] = [effectiveSyncWave(policy.policy), effectiveSyncWave(route)];
  return p > r ? [`${objectName(policy.policy)} is applied in sync wave ${p}, after ${objectName(route)} (wave ${r}): the route would serve before it is protected; apply the policy no later than the route`] : [];
}

/**
 * The "no unmetered path" check, on any manifests: every route on the MaaS
 * gateway has an AuthPolicy that authenticates and admits only named tiers,
 * a TokenRateLimitPolicy that limits each of them per user and gives any other
 * tier nothing, no policy applied after its route, and no injected key sent
 * over plain HTTP unless the route carries the unsafe opt-in annotation.
 */
export function meteringProblems(manifests: readonly Manifest[], gateway: { namespace: string; name: string } = MAAS_GATEWAY): string[] {
  const set = new ManifestSet(manifests);
  const problems: string[] = [];
  for (const route of routesOf(set, gateway)) {
    const where = `${describeManifest(route)} (on ${gateway.namespace}/${gateway.name})`;
    const auth = effectivePolicy(set, 'AuthPolicy', route, gateway);
    const tokens = effectivePolicy(set, 'TokenRateLimitPolicy', route, gateway);
    problems.push(...waveProblem(auth, route).map((p) => `${where}: ${p}`), ...waveProblem(tokens, route).map((p) => `${where}: ${p}`));
    if (!auth) {
      problems.push(`${where}: no AuthPolicy in these manifests authenticates it; give it a route AuthPolicy with a token review and a tier rule`);
      continue;
    }
    const methods = Object.values<any>(auth.body?.authentication ?? {});
    if (methods.length === 0 || methods.some((m) => m?.anonymous !== undefined)) {
      problems.push(`${where}: ${objectName(auth.policy)} lets callers in without a token`);
    }
    const tiers = admittedTiers(auth.body);
    if (!tiers) {
      problems.push(`${where}: ${objectName(auth.policy)} admits a caller of any tier, or none (no authorization rule restricts auth.identity.tier to known tiers); `
        + 'add one such as MaasIdentity.tierAuthorization emits');
    }
    if (!tokens) {
      problems.push(`${where}: no TokenRateLimitPolicy in these manifests limits it: every token is free; add a route token policy (TierTokenBudget)`);
    } else {
      for (const tier of tiers ?? []) {
        if (!tierLimited(tokens, tier)) {
          problems.push(`${where}: ${objectName(tokens.policy)} does not limit tier "${tier}", which ${objectName(auth.policy)} admits: that tier is unlimited there`);
        }
      }
      if (!unknownTiersGetNothing(tokens.body)) {
        problems.push(`${where}: ${objectName(tokens.policy)} gives no 0-token limit to tiers it does not name`);
      }
    }
    problems.push(...plaintextKeyProblems(set, route, auth, tiers?.[0], where));
  }
  return problems;
}

function plaintextKeyProblems(set: ManifestSet, route: K8sObject, auth: EffectivePolicy, tier: string | undefined, where: string): string[] {
  const injects = Object.keys(auth.body?.response?.success?.headers ?? {}).length > 0;
  const path = probePath(route);
  if (!injects || !path || (route.metadata.annotations as Record<string, string> | undefined)?.[PLAINTEXT_KEY_ANNOTATION] === 'true') return [];
  const body = Buffer.from(JSON.stringify({ model: 'any' }));
  const result = traceRequest(set, { method: 'POST', path, user: 'metering-check', tier: tier ?? 'free', body });
  if (result.outcome !== 'forwarded' || !result.upstream || result.upstream.tls.enabled) return [];
  return [`${where}: the key ${objectName(auth.policy)} injects reaches ${result.upstream.host}:${result.upstream.port} over plain HTTP; `
    + `originate TLS, or mark the route ${PLAINTEXT_KEY_ANNOTATION}: "true" (ExternalProviderOptions.unsafeAllowKeyOverPlainHttp) if that is meant`];
}
