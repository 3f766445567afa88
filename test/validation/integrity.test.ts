import { ApiObject, App, Chart } from 'cdk8s';
import { BackendTls, EgressDataPlane, ExistingObject, MaasEgressGateway, ProviderCredential, ProviderEndpoint, SecretStoreRef, StoreTokenExternalSecret } from '../../lib';
import { newChart, scratchOutdir, synth } from '../helpers';
import { synthesizeManifests } from '../../lib/output/manifests';

// Each broken app mixes library constructs with a hand-written object that the
// cluster would accept but that would drop traffic or limits; synth must fail
// both through app.synth() (cdk8s synth) and synthesizeManifests (npm run synth).

function appWithProvider(): { app: App; chart: Chart; gateway: MaasEgressGateway } {
  const app = new App({ outdir: scratchOutdir() });
  const chart = new Chart(app, 'broken');
  const gateway = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway() });
  gateway.addProvider('openai', { unsafeAllowKeyOverPlainHttp: true,
    endpoint: ProviderEndpoint.vllm({ hostname: 'vllm.example.com' }),
    credential: ProviderCredential.demoLiteral('k'),
    models: ['m'],
  });
  return { app, chart, gateway };
}

function route(chart: Chart, id: string, spec: object, namespace = 'maas-egress'): void {
  new ApiObject(chart, id, { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: id, namespace }, spec });
}

function expectSynthFailure(app: App, message: RegExp): void {
  expect(() => synthesizeManifests(app)).toThrow(message);
  expect(() => app.synth()).toThrow(message);
}

const egressParent = [{ name: 'egress-gateway', namespace: 'maas-egress' }];

describe('synth-time integrity', () => {
  test('a sound app synthesizes', () => {
    expect(() => synthesizeManifests(appWithProvider().app)).not.toThrow();
  });

  test('backendRef to a missing XBackendDestination', () => {
    const { app, chart } = appWithProvider();
    route(chart, 'stray', { parentRefs: egressParent, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/stray/' } }], backendRefs: [{ group: 'ainetworking.prototype.x-k8s.io', kind: 'Backend', name: 'nope-backend', port: 80 }] }] });
    expectSynthFailure(app, /HTTPRoute maas-egress\/stray: backendRef XBackendDestination maas-egress\/nope-backend does not exist/);
  });

  test('backendRef to a port the XBackendDestination does not have', () => {
    const { app, chart } = appWithProvider();
    route(chart, 'stray', { parentRefs: egressParent, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/stray/' } }], backendRefs: [{ group: 'ainetworking.prototype.x-k8s.io', kind: 'Backend', name: 'openai-backend', port: 443 }] }] });
    expectSynthFailure(app, /backendRef XBackendDestination maas-egress\/openai-backend has no port 443 \(ports: 8000\)/);
  });

  test('backendRef to the Envoy Service on a port its Gateway does not listen on', () => {
    const { app, chart } = appWithProvider();
    route(chart, 'bridge-2', { parentRefs: [{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/x/' } }], backendRefs: [{ name: 'envoy-maas-egress-egress-gateway', port: 80 }] }] });
    expectSynthFailure(app, /backendRef Service maas-egress\/envoy-maas-egress-egress-gateway has no port 80 \(ports: 8080\)/);
  });

  test('parentRef to a Gateway that neither exists nor is declared', () => {
    const { app, chart } = appWithProvider();
    route(chart, 'orphan', { parentRefs: [{ name: 'other-gateway', namespace: 'openshift-ingress' }], rules: [{ backendRefs: [{ name: 'envoy-maas-egress-egress-gateway', port: 80 }] }] });
    expectSynthFailure(app, /HTTPRoute maas-egress\/orphan: parentRef Gateway openshift-ingress\/other-gateway does not exist/);
  });

  test('policy targetRef to a route that does not exist', () => {
    const { app, chart } = appWithProvider();
    new ApiObject(chart, 'rl', {
      apiVersion: 'kuadrant.io/v1', kind: 'RateLimitPolicy', metadata: { name: 'rl', namespace: 'maas-egress' },
      spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'opneai-bridge' }, limits: { l: { rates: [{ limit: 1, window: '1m' }] } } },
    });
    expectSynthFailure(app, /RateLimitPolicy maas-egress\/rl: targetRef HTTPRoute maas-egress\/opneai-bridge does not exist in the policy's namespace/);
  });

  test('policy targetRef to a route in another namespace', () => {
    const { app, chart } = appWithProvider();
    new ApiObject(chart, 'rl', {
      apiVersion: 'kuadrant.io/v1', kind: 'RateLimitPolicy', metadata: { name: 'rl', namespace: 'team-b' },
      spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'openai-bridge' }, limits: { l: { rates: [{ limit: 1, window: '1m' }] } } },
    });
    expectSynthFailure(app, /targetRef HTTPRoute team-b\/openai-bridge does not exist in the policy's namespace/);
  });

  test('two AuthPolicies on one route', () => {
    const { app, chart } = appWithProvider();
    new ApiObject(chart, 'auth2', {
      apiVersion: 'kuadrant.io/v1', kind: 'AuthPolicy', metadata: { name: 'auth2', namespace: 'maas-egress' },
      spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'openai-bridge' } },
    });
    expectSynthFailure(app, /AuthPolicy maas-egress\/auth2: AuthPolicy maas-egress\/openai-bridge-auth already targets HTTPRoute maas-egress\/openai-bridge/);
  });

  test('two routes claiming the same path prefix on one Gateway', () => {
    const { app, chart } = appWithProvider();
    route(chart, 'shadow', { parentRefs: [{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/external/openai/' } }], backendRefs: [{ name: 'envoy-maas-egress-egress-gateway', port: 80 }] }] });
    expectSynthFailure(app, /HTTPRoute maas-egress\/shadow: HTTPRoute maas-egress\/openai-bridge already routes PathPrefix \/external\/openai\/ on Gateway openshift-ingress\/maas-default-gateway/);
  });

  test('two routes claiming the same header match on one Gateway', () => {
    const { app, chart } = appWithProvider();
    const spec = { parentRefs: egressParent, rules: [{ matches: [{ headers: [{ name: 'X-Target-Provider', value: 'openai' }] }], backendRefs: [{ group: 'ainetworking.prototype.x-k8s.io', kind: 'Backend', name: 'openai-backend', port: 8000 }] }] };
    route(chart, 'h1', spec);
    route(chart, 'h2', { ...spec, rules: [{ ...spec.rules[0], matches: [{ headers: [{ name: 'x-target-provider', value: 'openai' }] }] }] });
    expectSynthFailure(app, /HTTPRoute maas-egress\/h2: HTTPRoute maas-egress\/h1 already routes PathPrefix \/ headers x-target-provider=openai/);
  });

  test('registry entry naming a backend that does not exist', () => {
    const { app, chart } = appWithProvider();
    new ApiObject(chart, 'registry', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-registry', namespace: 'opendatahub', labels: { app: 'maas-api' } },
      data: { models: '- id: x\n  provider: ghost\n  backend: ghost-backend\n' },
    });
    expectSynthFailure(app, /ConfigMap opendatahub\/other-registry: model "x" names backend "ghost-backend", which is not a synthesized XBackendDestination/);
  });

  test('cross-namespace backendRef without a ReferenceGrant', () => {
    const { app, chart } = appWithProvider();
    route(chart, 'team-route', { parentRefs: [{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/team/' } }], backendRefs: [{ name: 'envoy-maas-egress-egress-gateway', namespace: 'maas-egress', port: 80 }] }] }, 'team-c');
    expectSynthFailure(app, /HTTPRoute team-c\/team-route: backendRef Service maas-egress\/envoy-maas-egress-egress-gateway crosses namespaces without a ReferenceGrant in maas-egress/);
  });

  describe('a ReferenceGrant that exists but does not cover the reference', () => {
    const teamRoute = (chart: Chart) => route(chart, 'team-route', { parentRefs: [{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/team/' } }], backendRefs: [{ name: 'envoy-maas-egress-egress-gateway', namespace: 'maas-egress', port: 8080 }] }] }, 'team-c');
    const grant = (chart: Chart, namespace: string, from: object, to: object) => new ApiObject(chart, 'grant', {
      apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'team-c-to-envoy', namespace },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'team-c', ...from }], to: [{ group: '', kind: 'Service', name: 'envoy-maas-egress-egress-gateway', ...to }] },
    });
    const failure = /HTTPRoute team-c\/team-route: backendRef Service maas-egress\/envoy-maas-egress-egress-gateway crosses namespaces without a ReferenceGrant in maas-egress/;

    test('a grant that covers it passes (the control case)', () => {
      const { app, chart } = appWithProvider();
      teamRoute(chart);
      grant(chart, 'maas-egress', {}, {});
      // the grant problem is gone; what remains is that a route of the team's own has no policies of its own
      let message = '';
      try {
        synthesizeManifests(app);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).not.toMatch(failure);
      expect(message).toMatch(/HTTPRoute team-c\/team-route \(on openshift-ingress\/maas-default-gateway\): no AuthPolicy in these manifests authenticates it/);
    });

    test.each([
      ['to another Service name', 'maas-egress', {}, { name: 'other-service' }],
      ['in another namespace than the Service', 'team-c', {}, {}],
      ['to another kind', 'maas-egress', {}, { group: 'ainetworking.prototype.x-k8s.io', kind: 'Backend' }],
      ['from another namespace', 'maas-egress', { namespace: 'team-d' }, {}],
      ['from another kind', 'maas-egress', { kind: 'GRPCRoute' }, {}],
    ])('%s', (_what, namespace, from, to) => {
      const { app, chart } = appWithProvider();
      teamRoute(chart);
      grant(chart, namespace, from, to);
      expectSynthFailure(app, failure);
    });
  });

  test('a hand-written registry ConfigMap that lists one model id twice', () => {
    const { app, chart } = appWithProvider();
    new ApiObject(chart, 'registry', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-registry', namespace: 'opendatahub', labels: { app: 'maas-api' } },
      data: { models: '- id: m2\n  provider: openai\n  backend: openai-backend\n- id: m2\n  provider: openai\n  backend: openai-backend\n' },
    });
    expectSynthFailure(app, /\[broken\/registry\] ConfigMap opendatahub\/other-registry: model "m2" is listed twice/);
  });

  test('a policy whose target is in another app says how to declare it, and passes once declared', () => {
    const { app, chart } = appWithProvider();
    new ApiObject(chart, 'rl', {
      apiVersion: 'kuadrant.io/v1', kind: 'RateLimitPolicy', metadata: { name: 'rl', namespace: 'maas-egress' },
      spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'team-route' }, limits: { l: { rates: [{ limit: 1, window: '1m' }] } } },
    });
    expectSynthFailure(app, new RegExp(escape('[broken/rl] RateLimitPolicy maas-egress/rl: targetRef HTTPRoute maas-egress/team-route does not exist '
      + "in the policy's namespace; check the name, or synthesize the object in this app; if another app or a manual step creates it, "
      + "declare it: ExistingObject.declare(scope, { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'maas-egress', name: 'team-route' })")));
    ExistingObject.declare(chart, { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'maas-egress', name: 'team-route' });
    expect(() => synthesizeManifests(app)).not.toThrow();
  });

  test('the library emits the ReferenceGrant for its own cross-namespace bridges', () => {
    const { app, gateway } = appWithProvider();
    gateway.addProvider('team', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 't.example.com' }), credential: ProviderCredential.demoLiteral('k'), models: ['t'], bridgeNamespace: 'team-c' });
    expect(() => synthesizeManifests(app)).not.toThrow();
  });

  test('an object invalid against its CRD schema', () => {
    const { app, chart } = appWithProvider();
    new ApiObject(chart, 'bad-backend', {
      apiVersion: 'ainetworking.prototype.x-k8s.io/v0alpha0', kind: 'XBackendDestination', metadata: { name: 'bad-backend', namespace: 'maas-egress' },
      spec: { destination: { type: 'Fqdn', fqdn: { hostname: 'x.example.com' }, ports: [{ number: 443, protocol: 'HTTPS' }] } },
    });
    expectSynthFailure(app, /XBackendDestination maas-egress\/bad-backend: violates its CRD schema at \/spec\/destination\/ports\/0\/protocol: must be one of \["HTTP","HTTP2","TCP","MCP"\]/);
  });

  test('an unknown field (a typo the API server would silently prune)', () => {
    const { app, chart } = appWithProvider();
    new ApiObject(chart, 'typo', {
      apiVersion: 'kuadrant.io/v1alpha1', kind: 'TokenRateLimitPolicy', metadata: { name: 'typo', namespace: 'maas-egress' },
      spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'openai-bridge' }, limits: { l: { rates: [{ limit: 1, window: '1m' }], counter: [] } } },
    });
    expectSynthFailure(app, /TokenRateLimitPolicy maas-egress\/typo: violates its CRD schema at \/spec\/limits\/l: unknown field "counter"/);
  });

  test('the same object defined twice', () => {
    const { app, chart } = appWithProvider();
    new ApiObject(chart, 'dup', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'external-model-registry', namespace: 'opendatahub' } });
    expectSynthFailure(app, /ConfigMap opendatahub\/external-model-registry: defined twice/);
  });
});

describe('synth-time problems name the construct of the object', () => {
  const strayRoute = (chart: Chart) => route(chart, 'stray', { parentRefs: egressParent, rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/stray/' } }], backendRefs: [{ group: 'ainetworking.prototype.x-k8s.io', kind: 'Backend', name: 'nope-backend', port: 80 }] }] });

  test('a hand-written object: its construct path, not the app\'s empty one', () => {
    const { app, chart } = appWithProvider();
    strayRoute(chart);
    for (const run of [() => synthesizeManifests(app), () => app.synth()]) {
      expect(run).toThrow(/^Validation failed with the following errors:\n {2}\[broken\/stray\] HTTPRoute maas-egress\/stray: backendRef XBackendDestination maas-egress\/nope-backend does not exist; /);
      expect(run).not.toThrow(/\[\]/);
    }
  });

  test('an object defined twice: both constructs', () => {
    const { app, chart } = appWithProvider();
    for (const id of ['first', 'second']) new ApiObject(chart, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'maas-egress' } });
    expect(() => synthesizeManifests(app)).toThrow('\n  [broken/first] ConfigMap maas-egress/settings: defined twice; give each object its own name'
      + '\n  [broken/second] ConfigMap maas-egress/settings: defined twice; give each object its own name');
  });

  test('a problem fixed after a failed synth is no longer reported on its construct', () => {
    const { app, chart } = appWithProvider();
    strayRoute(chart);
    expect(() => synthesizeManifests(app)).toThrow(/broken\/stray/);
    ExistingObject.declare(chart, { group: 'ainetworking.prototype.x-k8s.io', kind: 'XBackendDestination', namespace: 'maas-egress', name: 'nope-backend' });
    expect(() => synthesizeManifests(app)).not.toThrow();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

describe('TLS Secret references', () => {
  const build = (declare: (egress: MaasEgressGateway, chart: Chart) => void) => {
    const { app, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway() });
    declare(egress, chart);
    egress.addProvider('openai', {
      endpoint: ProviderEndpoint.openAi({ tls: BackendTls.mutual({ caBundleSecret: 'public-ca', clientCertificateSecret: 'client-cert' }) }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['gpt-4o'],
    });
    return app;
  };

  test('a CA bundle or client certificate Secret that is neither synthesized nor declared fails synth', () => {
    expect(() => build((egress) => egress.declareExistingSecret('public-ca')).synth())
      .toThrow(/XBackendDestination maas-egress\/openai-backend: port 443 tls.clientCertificateRef Secret maas-egress\/client-cert does not exist; create it outside Git and declare it/);
    expect(() => build((egress) => egress.declareExistingSecret('client-cert')).synth())
      .toThrow(/tls.caBundleRef Secret maas-egress\/public-ca does not exist/);
  });

  test('declared Secrets and Secrets made by an ExternalSecret satisfy it', () => {
    expect(() => synth(build((egress) => { egress.declareExistingSecret('public-ca'); egress.declareExistingSecret('client-cert'); }))).not.toThrow();
    expect(() => synth(build((egress, chart) => {
      egress.declareExistingSecret('public-ca');
      new StoreTokenExternalSecret(chart, 'cert', { name: 'client-cert', namespace: 'maas-egress', store: SecretStoreRef.cluster('pki'), remoteKey: 'k' });
    }))).not.toThrow();
  });

  test('declareExistingSecret rejects an invalid name', () => {
    const { chart } = newChart();
    expect(() => new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway() }).declareExistingSecret('Public CA'))
      .toThrow(/^\[test\/egress\] invalid existing Secret name "Public CA"/);
  });
});

describe('current-MaaS references', () => {
  const { integrityProblems: problemsOf } = require('../../lib/validation/integrity') as typeof import('../../lib/validation/integrity');
  const { readYamlDir: read, REPO_DIR: repo } = require('../helpers') as typeof import('../helpers');
  const dist = read(require('path').join(repo, 'dist', 'current-maas')).filter((m: any) => m.kind !== 'Kustomization');

  test('dist/current-maas has none dangling', () => {
    expect(problemsOf(dist)).toEqual([]);
  });

  test('a missing provider, key Secret, model and MaaSModelRef are each named', () => {
    const gone = (kind: string, name: string) => (m: any) => !(m.kind === kind && m.metadata.name === name);
    const broken = dist.filter(gone('ExternalProvider', 'ext-anthropic')).filter(gone('ExternalSecret', 'openai-api-key'))
      .filter(gone('ExternalModel', 'gpt-4.1')).filter(gone('MaaSModelRef', 'gpt-4o'));
    const problems = problemsOf(broken).join('\n');
    expect(problems).toMatch(/ExternalModel llm\/claude-sonnet-4-5: provider ExternalProvider llm\/ext-anthropic does not exist; .*kind: 'ExternalProvider'/);
    expect(problems).toMatch(/ExternalProvider llm\/ext-openai: key Secret Secret llm\/openai-api-key does not exist/);
    expect(problems).toMatch(/MaaSModelRef llm\/gpt-4.1: model ExternalModel llm\/gpt-4.1 does not exist/);
    expect(problems).toMatch(/MaaSSubscription models-as-a-service\/maas-egress-free: model MaaSModelRef llm\/gpt-4o does not exist/);
  });
});
