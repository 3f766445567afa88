import { type CelContext, evaluateCel, UNKNOWN } from './cel-subset';
import { describeHeaderValue, describeMetadata, type HeaderSource } from './credential-source';
import { objectName } from './manifest-set';
import type { EffectivePolicy } from './policy-resolution';

/** The caller, as `--user`/`--tier` describe it. */
export interface Caller {
  /** True when the request carries a valid MaaS token. */
  readonly token: boolean;
  readonly user?: string;
  readonly tier?: string;
}

/** What an AuthPolicy does to one request. */
export interface AuthOutcome {
  /** 401 or 403 when the policy rejects the request. */
  readonly status?: number;
  readonly reason?: string;
  /** The story, one line per step. */
  readonly steps: string[];
  /** Headers the policy sets towards the upstream, lower-case names. */
  readonly headers: ReadonlyArray<{ readonly name: string; readonly source: HeaderSource }>;
}

const AUTHN_KINDS: Record<string, (cfg: any) => string> = {
  kubernetesTokenReview: (cfg) => `Kubernetes TokenReview${cfg?.audiences ? ` (audience ${cfg.audiences.join(', ')})` : ''}`,
  apiKey: () => 'API key',
  jwt: (cfg) => `JWT${cfg?.issuerUrl ? ` from ${cfg.issuerUrl}` : ''}`,
  oauth2Introspection: () => 'OAuth2 token introspection',
  x509: () => 'X.509 client certificate',
  plain: (cfg) => `plain identity ${cfg?.selector ?? ''}`.trim(),
  anonymous: () => 'anonymous access',
};

function holds(when: any[] | undefined, ctx: CelContext): boolean | typeof UNKNOWN {
  let result: boolean | typeof UNKNOWN = true;
  for (const w of when ?? []) {
    const v = evaluateCel(String(w.predicate ?? ''), ctx);
    if (v === false) return false;
    if (v !== true) result = UNKNOWN;
  }
  return result;
}

function denialText(policy: EffectivePolicy, name: string, rule: any): string {
  const predicates: string[] = (rule.patternMatching?.patterns ?? []).map((p: any) => String(p.predicate ?? `${p.selector} ${p.operator} ${p.value}`));
  const metadata = predicates.map((p) => /auth\.metadata\.([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)/.exec(p)).find(Boolean);
  if (metadata) return `403 when the key from ${describeMetadata(policy.policy, metadata[1], metadata[2]).text} cannot be fetched (rule ${name})`;
  if (predicates.length > 0) return `403 unless ${predicates.join(' and ')} (rule ${name})`;
  const kind = Object.keys(rule).find((k) => !['when', 'cache', 'priority', 'metrics'].includes(k)) ?? 'rule';
  return `403 when the ${kind} check of rule ${name} fails at request time`;
}

/**
 * Applies an AuthPolicy's `rules` to a caller: authentication (401 without a
 * token), authorization rules (403 when they fail now, noted when they can
 * only fail at request time) and the success headers with their sources.
 */
export function evaluateAuth(policy: EffectivePolicy, caller: Caller, ctx: CelContext): AuthOutcome {
  const rules = policy.body ?? {};
  const steps: string[] = [];
  const name = `${objectName(policy.policy)} (${policy.level}-level)`;
  const methods = Object.entries<any>(rules.authentication ?? {}).filter(([, cfg]) => holds(cfg.when, ctx) !== false);
  const anonymous = methods.some(([, cfg]) => cfg.anonymous !== undefined);
  const described = methods.map(([key, cfg]) => {
    const kind = Object.keys(AUTHN_KINDS).find((k) => cfg[k] !== undefined);
    return kind ? `${AUTHN_KINDS[kind](cfg[kind])} ("${key}")` : `"${key}"`;
  });
  steps.push(`${name}: authentication by ${described.length > 0 ? described.join(' or ') : 'nothing (no authentication rules)'}`);
  if (methods.length > 0 && !anonymous && !caller.token) {
    return { status: 401, reason: `no token: ${objectName(policy.policy)} requires ${described.join(' or ')}`, steps, headers: [] };
  }
  if (caller.token) steps.push(`identity: user ${caller.user ?? '(any)'}, tier ${caller.tier ?? '(any)'}`);

  for (const [ruleName, rule] of Object.entries<any>(rules.authorization ?? {})) {
    if (holds(rule.when, ctx) === false) continue;
    const patterns: any[] = rule.patternMatching?.patterns ?? [];
    const results = patterns.map((p) => (p.predicate ? evaluateCel(String(p.predicate), ctx) : UNKNOWN));
    if (results.some((r) => r === false)) {
      return { status: 403, reason: `denied by authorization rule ${ruleName} of ${objectName(policy.policy)}`, steps, headers: [] };
    }
    if (patterns.length === 0 || results.some((r) => r !== true)) steps.push(`may deny: ${denialText(policy, ruleName, rule)}`);
  }

  const headers: Array<{ name: string; source: HeaderSource }> = [];
  for (const [header, entry] of Object.entries<any>(rules.response?.success?.headers ?? {})) {
    const when = holds(entry?.when, ctx);
    if (when === false) continue;
    const source = describeHeaderValue(policy.policy, entry);
    headers.push({ name: header.toLowerCase(), source });
    steps.push(`sets ${header.toLowerCase()}: ${source.text}${when === UNKNOWN ? ' (only when its condition holds)' : ''}`);
  }
  return { steps, headers };
}
