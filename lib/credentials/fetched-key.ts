import type { AuthPolicySpecRulesAuthorization } from '../../imports/kuadrant.io';

/** AuthPolicy metadata rule name of a provider's key: a CEL identifier. */
export function metadataName(providerName: string): string {
  return `key_${providerName.replace(/-/g, '_')}`;
}

/** Cache key value of a provider's fetched key: one entry per provider. */
export function keyCacheValue(providerName: string): string {
  return `${providerName}-key`;
}

/** CEL predicate that holds when the fetched key at `keyExpression` is present and non-empty. */
export function keyPresentPredicate(keyExpression: string): string {
  return `has(${keyExpression}) && ${keyExpression} != ""`;
}

/**
 * Authorization rules that deny the request (403) unless the fetched key at
 * `keyExpression` is present and non-empty, so no request leaves keyless.
 */
export function keyPresentRule(name: string, keyExpression: string): Record<string, AuthPolicySpecRulesAuthorization> {
  return { [`${name}-present`]: { patternMatching: { patterns: [{ predicate: keyPresentPredicate(keyExpression) }] } } };
}
