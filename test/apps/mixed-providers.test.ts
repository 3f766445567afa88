import * as path from 'path';
import { parse } from 'yaml';
import { createApp } from '../../apps/mixed-providers/main';
import { Manifest } from '../../lib/core/manifest';
import { SYNC_WAVE_ANNOTATION } from '../../lib/core/sync-wave';
import { describeWithShared, find, hasSharedFiles, ofKind, readYamlDir, SHARED_DIR, synth } from '../helpers';

// The demo must carry, object by object, the meaning of the proof of concept's
// hand-written manifests. Names follow the library's conventions: namespace
// `maas-egress` instead of `default`, Gateway `egress-gateway` instead of
// `poc-gateway`; everything else (prefixes, rewrites, backends, ports,
// injected headers, audiences, registry entries) must be identical.

const manifests = synth(createApp());
// empty without ../shared: the suite is skipped then
const poc = !hasSharedFiles('reference/') ? [] : [
  ...readYamlDir(path.join(SHARED_DIR, 'reference', 'poc', 'common')),
  ...readYamlDir(path.join(SHARED_DIR, 'reference', 'poc', 'mixed-providers')),
];
const pocObject = (kind: string, name: string): any => find(poc, kind, name);
const PROVIDERS = ['openai', 'anthropic', 'vllm'];
const NS = 'maas-egress';

/** Strips the trailing new lines that YAML block scalars add to CEL expressions. */
function trimStrings(value: any): any {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) return value.map(trimStrings);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trimStrings(v)]));
  return value;
}

describeWithShared('reference/')('mixed-providers reproduces the proof of concept', () => {
  test.each(PROVIDERS)('%s: XBackendDestination spec is identical', (p) => {
    expect(find(manifests, 'XBackendDestination', `${p}-backend`, NS).spec).toEqual(pocObject('XBackendDestination', `${p}-backend`).spec);
  });

  test.each(PROVIDERS)('%s: egress route has the same match, rewrite and backend', (p) => {
    const ours = find(manifests, 'HTTPRoute', `${p}-route`, NS);
    const theirs = pocObject('HTTPRoute', `${p}-route`);
    const [{ timeouts, filters: [{ urlRewrite: { hostname, ...rewrite }, ...filter }], ...rule }] = ours.spec.rules;
    expect([{ ...rule, filters: [{ ...filter, urlRewrite: rewrite }] }]).toEqual(theirs.spec.rules);
    expect(timeouts).toEqual({ request: '300s' }); // added: LLM calls outlive Envoy's default
    // added: Host is the provider's own, as hosted APIs behind CDNs require
    expect(hostname).toBe(find(manifests, 'XBackendDestination', `${p}-backend`, NS).spec.destination.fqdn.hostname);
    expect(ours.spec.parentRefs).toEqual([{ name: 'egress-gateway', namespace: NS }]);
  });

  test.each(PROVIDERS)('%s: bridge route has the same parent, match, path rewrite and Envoy port', (p) => {
    const ours = find(manifests, 'HTTPRoute', `${p}-bridge`, NS);
    const theirs = pocObject('HTTPRoute', `${p}-bridge`);
    expect(ours.spec.parentRefs).toEqual(theirs.spec.parentRefs);
    const [rule] = ours.spec.rules;
    const [pocRule] = theirs.spec.rules;
    expect(rule.matches).toEqual(pocRule.matches);
    // added: the simulators take their key in X-Provider-Api-Key, so the client's
    // MaaS token is removed instead of being forwarded to the provider
    // and Accept-Encoding is removed where Kuadrant counts the tokens, so answers come uncompressed
    const removal = (...names: string[]) => ({ type: 'RequestHeaderModifier', requestHeaderModifier: { remove: names } });
    // added: the hop carries the egress Service as Host, so no MaaS-host action set of Kuadrant can match after it
    const pocFilters = pocRule.filters.map((f: any) => (f.type === 'URLRewrite'
      ? { ...f, urlRewrite: { hostname: 'envoy-maas-egress-egress-gateway.maas-egress.svc.cluster.local', ...f.urlRewrite } } : f));
    expect(rule.filters).toEqual([...pocFilters, p === 'vllm' ? removal('Accept-Encoding') : removal('Authorization', 'Accept-Encoding')]);
    // the PoC's envoy-poc-gateway is the controller's name for Gateway default/poc-gateway;
    // ours follows the same rule for maas-egress/egress-gateway, on port 8080: the
    // prototype's Envoy cannot bind 80 under OpenShift's restricted SCC
    expect(pocRule.backendRefs).toEqual([{ name: 'envoy-poc-gateway', port: 80 }]);
    expect(rule.backendRefs).toEqual([{ name: 'envoy-maas-egress-egress-gateway', port: 8080 }]);
  });

  test.each(PROVIDERS)('%s: AuthPolicy spec is the PoC\'s (token review, identity, injected key) with the key header in lower case, the tier from the MaaS lookup and only known tiers admitted', (p) => {
    const ours = find(manifests, 'AuthPolicy', `${p}-bridge-auth`, NS);
    const theirs = pocObject('AuthPolicy', `${p}-bridge-auth`).spec;
    // wasm-shim replaces a request header only when the name matches exactly; Envoy's names
    // are lower case, so the PoC's "Authorization" would be added beside the client's token
    const headers = theirs.rules.response.success.headers;
    // the PoC took the tier from the namespace name, which users choose, and admitted any tier:
    // the library asks MaaS's tier lookup (as MaaS's own gateway policy does) and admits known tiers only
    const success = theirs.rules.response.success;
    const fixed = { ...theirs, rules: {
      ...theirs.rules,
      metadata: { ...theirs.rules.metadata, matchedTier: ours.spec.rules.metadata.matchedTier },
      authorization: { ...theirs.rules.authorization, 'known-tier': ours.spec.rules.authorization['known-tier'] },
      response: { ...theirs.rules.response, success: {
        ...success,
        filters: { identity: { json: { properties: { ...success.filters.identity.json.properties, tier: { expression: 'auth.metadata.matchedTier["tier"]' } } } } },
        headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
      } },
    } };
    expect(Object.keys(headers).some((name) => name !== name.toLowerCase())).toBe(true);
    expect(trimStrings(ours.spec)).toEqual(trimStrings(fixed));
    expect(ours.spec.rules.metadata.matchedTier.http.url).toBe('https://maas-api.opendatahub.svc.cluster.local:8443/v1/tiers/lookup');
    expect(ours.spec.rules.authorization['known-tier'].patternMatching.patterns[0].predicate).toContain('in ["free", "premium", "enterprise"]');
  });

  test('the registry lists the same models in the same order', () => {
    const ours = find(manifests, 'ConfigMap', 'external-model-registry', 'opendatahub');
    const theirs = pocObject('ConfigMap', 'external-model-registry');
    expect(ours.metadata.labels).toEqual(theirs.metadata.labels);
    expect(parse(ours.data.models)).toEqual(parse(theirs.data.models));
  });

  test.each(['openai-simulator', 'anthropic-simulator'])('%s: Deployment and Service match', (name) => {
    const ours = find(manifests, 'Deployment', name, 'external-models');
    const theirs = pocObject('Deployment', name);
    const [c] = ours.spec.template.spec.containers;
    const [pc] = theirs.spec.template.spec.containers;
    for (const field of ['image', 'args', 'ports', 'readinessProbe', 'resources']) expect(c[field]).toEqual(pc[field]);
    expect(ours.spec.selector).toEqual(theirs.spec.selector);
    const svc = find(manifests, 'Service', name, 'external-models');
    expect(svc.spec).toEqual(pocObject('Service', name).spec);
    expect(find(manifests, 'Namespace', 'external-models')).toBeDefined();
  });

  test('controller install matches, with RBAC narrowed to a subset', () => {
    for (const kind of ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Deployment', 'Service']) {
      const name = kind === 'Namespace' ? 'ai-gateway-system' : 'ai-gateway-controller';
      expect(find(manifests, kind, name).metadata.namespace).toEqual(pocObject(kind, name).metadata.namespace);
    }
    const granted = (role: any) => new Set<string>(role.rules.flatMap((r: any) =>
      r.apiGroups.flatMap((g: string) => r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${g}/${res}/${v}`)))));
    const ours = granted(find(manifests, 'ClusterRole', 'ai-gateway-controller'));
    const theirs = granted(pocObject('ClusterRole', 'ai-gateway-controller'));
    for (const permission of ours) expect(theirs).toContain(permission);
    expect(find(manifests, 'ClusterRoleBinding', 'ai-gateway-controller').subjects)
      .toEqual(pocObject('ClusterRoleBinding', 'ai-gateway-controller').subjects);

    const [c] = find(manifests, 'Deployment', 'ai-gateway-controller').spec.template.spec.containers;
    const [pc] = pocObject('Deployment', 'ai-gateway-controller').spec.template.spec.containers;
    expect(c.image).toBe(pc.image);
    expect(c.args).toEqual(['--envoy-image=docker.io/envoyproxy/envoy:v1.37.0']); // pinned, not v1.37-latest
    for (const field of ['ports', 'env', 'resources', 'securityContext']) expect(c[field]).toEqual(pc[field]);
    expect(find(manifests, 'Service', 'ai-gateway-controller').spec).toEqual(pocObject('Service', 'ai-gateway-controller').spec);
    expect(find(manifests, 'GatewayClass', 'wg-ai-gateway').spec.controllerName)
      .toBe(pocObject('GatewayClass', 'wg-ai-gateway').spec.controllerName);
  });

  test('egress Gateway has the same class and listener (on an unprivileged port), narrowed to routes of its namespace', () => {
    const ours = find(manifests, 'Gateway', 'egress-gateway', NS);
    const theirs = pocObject('Gateway', 'poc-gateway');
    expect(ours.spec.gatewayClassName).toBe(theirs.spec.gatewayClassName);
    const [l] = ours.spec.listeners;
    const [pl] = theirs.spec.listeners;
    expect({ name: l.name, protocol: l.protocol }).toEqual({ name: pl.name, protocol: pl.protocol });
    expect([pl.port, l.port]).toEqual([80, 8080]);
    expect(l.allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
  });

  test('free tier has 100 tokens per minute on every bridge route; the other tiers keep MaaS\'s budgets; any other tier gets 0', () => {
    const policies = ofKind(manifests, 'TokenRateLimitPolicy');
    expect(policies.map((p) => p.spec.targetRef.name).sort()).toEqual(PROVIDERS.map((p) => `${p}-bridge`).sort());
    const limit = (tokens: number, predicate: string) => ({
      rates: [{ limit: tokens, window: '1m' }],
      when: [{ predicate: `${predicate} && !request.path.endsWith("/v1/models")` }],
      counters: [{ expression: 'auth.identity.userid' }],
    });
    for (const policy of policies) {
      expect(policy.metadata.namespace).toBe(NS);
      expect(policy.spec.limits).toEqual({
        'free-user-tokens': limit(100, 'auth.identity.tier == "free"'),
        'premium-user-tokens': limit(50000, 'auth.identity.tier == "premium"'),
        'enterprise-user-tokens': limit(100000, 'auth.identity.tier == "enterprise"'),
        'unknown-tier-tokens': limit(0, '!(auth.identity.tier in ["free", "premium", "enterprise"])'),
      });
    }
  });

  test('the on-prem model is the MaaS sample LLMInferenceService', () => {
    const ours = find(manifests, 'LLMInferenceService', 'simulated', 'llm');
    const theirs: any = readYamlDir(path.join(SHARED_DIR, 'reference', 'maas-samples'))[0];
    expect(ours.spec.model).toEqual(theirs.spec.model);
    expect(ours.spec.router).toEqual(theirs.spec.router);
    const { [SYNC_WAVE_ANNOTATION]: wave, ...annotations } = ours.metadata.annotations;
    expect(annotations).toEqual(theirs.metadata.annotations);
    expect(wave).toBe('3'); // added: Argo CD applies it with the other workloads
    const [c] = ours.spec.template.containers;
    const [tc] = theirs.spec.template.containers;
    for (const field of ['image', 'command', 'args', 'env', 'ports', 'livenessProbe', 'readinessProbe', 'resources']) {
      expect(c[field]).toEqual(tc[field]);
    }
  });

  test('every PoC object has a counterpart', () => {
    const counterpart = (m: Manifest) => {
      if (m.kind === 'Gateway') return find(manifests, 'Gateway', 'egress-gateway');
      return find(manifests, m.kind, m.metadata.name);
    };
    for (const object of poc) expect(counterpart(object)).toBeDefined();
  });

  test('the vLLM host can be changed', () => {
    const other = synth(createApp({ vllmHost: 'vllm.example.com' }));
    expect(find(other, 'XBackendDestination', 'vllm-backend').spec.destination.fqdn.hostname).toBe('vllm.example.com');
  });

  test('snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });
});
