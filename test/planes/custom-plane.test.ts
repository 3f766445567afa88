import { ApiObject } from 'cdk8s';
import {
  BudgetTarget, EgressDataPlane, IDataPlaneBinding, IEgressDataPlane, IEgressGateway, IExternalProvider, IUnifiedModelEndpoint,
  MaasEgressGateway, MaasPlatform, ProviderCredential, ProviderEndpoint, RouteRule, TierTokenBudget,
} from '../../lib';
import { find, newChart, ofKind, synth } from '../helpers';

// A team's own data plane, written against the public contracts only: every
// provider is reached through one in-cluster forward proxy Service.
class ForwardProxyPlane implements IEgressDataPlane {
  public readonly kind = 'forward-proxy';
  public bound: IEgressGateway[] = [];
  public bind(gateway: IEgressGateway): IDataPlaneBinding {
    this.bound.push(gateway);
    return new ForwardProxyBinding(gateway);
  }
}

class ForwardProxyBinding implements IDataPlaneBinding {
  public readonly proxyNamespace: string;
  constructor(private readonly gateway: IEgressGateway) {
    this.proxyNamespace = gateway.namespace;
    new ApiObject(gateway, 'ForwardProxy', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'forward-proxy', namespace: gateway.namespace },
      spec: { selector: { app: 'forward-proxy' }, ports: [{ name: 'http', port: 3128 }] },
    } as any);
  }
  public maasRouteRule(provider: IExternalProvider): RouteRule {
    return {
      matches: [{ path: { type: 'PathPrefix', value: provider.publicPathPrefix } }],
      filters: [{ type: 'URLRewrite', urlRewrite: { hostname: provider.endpoint.hostname } }],
      backendRefs: [{ name: 'forward-proxy', namespace: this.gateway.namespace, port: 3128 }],
    };
  }
  public addProvider(provider: IExternalProvider): void {
    new ApiObject(provider, 'ProxyTarget', {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: `${provider.name}-proxy-target`, namespace: this.gateway.namespace },
      data: { host: provider.endpoint.hostname },
    } as any);
  }
  public backendName(): string {
    return 'forward-proxy';
  }
  public egressRouteName(): string | undefined {
    return undefined;
  }
  public unifiedRouteRule(endpoint: IUnifiedModelEndpoint): RouteRule {
    throw new Error(`${endpoint.node.path}: the forward proxy plane serves no unified endpoint`);
  }
  public addUnifiedRoute(): void {
    // never reached: unifiedRouteRule refuses first
  }
}

// The proxy is reached over plain HTTP, so the key crosses the cluster network
// in clear text: refused unless the provider says that is meant.
function customPlaneApp(unsafeAllowKeyOverPlainHttp = true) {
  const { app, chart } = newChart();
  const plane = new ForwardProxyPlane();
  const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: plane, platform: MaasPlatform.tierBased() });
  egress.addProvider('openai', {
    endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('demo-key'), models: ['gpt-4o'], unsafeAllowKeyOverPlainHttp,
  });
  return { app, egress, plane };
}

describe('a data plane of a team\'s own (IEgressDataPlane)', () => {
  test('is bound once to its gateway, and its rule carries the provider route on the MaaS gateway', () => {
    const { app, egress, plane } = customPlaneApp();
    expect(plane.bound).toEqual([egress]);
    expect(egress.dataPlane.kind).toBe('forward-proxy');
    const out = synth(app);
    const rule = find(out, 'HTTPRoute', 'openai-bridge', 'maas-egress').spec.rules[0];
    expect(rule.backendRefs).toEqual([{ name: 'forward-proxy', namespace: 'maas-egress', port: 3128 }]);
    expect(rule.matches).toEqual([{ path: { type: 'PathPrefix', value: '/external/openai/' } }]);
    // the platform's own part is unchanged: the client's MaaS token is dropped after
    // Authorino checked it, Accept-Encoding is removed so answers are counted, the timeout holds
    expect(rule.filters).toContainEqual({ type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['Accept-Encoding'] } });
    expect(rule.timeouts).toEqual({ request: '300s' });
    expect(find(out, 'ConfigMap', 'openai-proxy-target', 'maas-egress').data).toEqual({ host: 'api.openai.com' });
  });

  test('is held to the same synth checks: a key it would carry in clear text is refused', () => {
    const { app } = customPlaneApp(false);
    expect(() => synth(app)).toThrow('HTTPRoute maas-egress/openai-bridge (on openshift-ingress/maas-default-gateway): the key AuthPolicy '
      + 'maas-egress/openai-bridge-auth injects reaches forward-proxy.maas-egress.svc.cluster.local:3128 over plain HTTP');
  });

  test('cannot route around the platform: the route is authenticated, tier-checked, keyed and budgeted', () => {
    const { app, egress } = customPlaneApp();
    new TierTokenBudget(egress, 'budget', { target: BudgetTarget.allProviders(egress), limits: [{ tier: 'free', tokens: 10 }] });
    const out = synth(app);
    const auth = find(out, 'AuthPolicy', 'openai-bridge-auth', 'maas-egress').spec;
    expect(auth.targetRef).toEqual({ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'openai-bridge' });
    expect(Object.keys(auth.rules.authentication)).not.toEqual([]);
    expect(auth.rules.response.success.headers.authorization).toBeDefined();
    const budgets = ofKind(out, 'TokenRateLimitPolicy').filter((p) => p.spec.targetRef.name === 'openai-bridge');
    expect(budgets).toHaveLength(1);
    expect(find(out, 'ConfigMap', 'external-model-registry', 'opendatahub').data.models).toContain('backend: forward-proxy');
  });

  test.each([
    ['no match', undefined, '[]'],
    ['a match outside the provider\'s paths', [{ path: { type: 'PathPrefix', value: '/' } }], '{"path":{"type":"PathPrefix","value":"/"}}'],
    ['a regular expression', [{ path: { type: 'RegularExpression', value: '/external/openai/.*' } }], '{"path":{"type":"RegularExpression","value":"/external/openai/.*"}}'],
  ])('a provider route with %s would take other requests, and is refused', (_name, matches, shown) => {
    const plane = new ForwardProxyPlane();
    const bind = plane.bind.bind(plane);
    plane.bind = (gateway) => Object.assign(bind(gateway), { maasRouteRule: () => ({ matches, backendRefs: [{ name: 'forward-proxy', port: 3128 }] }) });
    const egress = new MaasEgressGateway(newChart().chart, 'egress', { dataPlane: plane });
    expect(() => egress.addProvider('openai', {
      endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('demo-key'), models: ['gpt-4o'],
    })).toThrow(`[test/egress/openai] invalid data plane route matches ${shown}: the data plane's maasRouteRule must match only paths under "/external/openai/"`);
  });

  test('a plane that cannot serve a unified endpoint refuses it with its own message', () => {
    const { egress } = customPlaneApp();
    expect(() => egress.addUnifiedEndpoint()).toThrow('test/egress/UnifiedEndpoint: the forward proxy plane serves no unified endpoint');
  });

  test('an object that is not a plane is refused, naming what a plane needs', () => {
    expect(() => new MaasEgressGateway(newChart().chart, 'egress', { dataPlane: { kind: 'half' } as any }))
      .toThrow('[test/egress] invalid data plane {"kind":"half"}: give dataPlane: EgressDataPlane.direct(), EgressDataPlane.istioGateway({...}), EgressDataPlane.wgAiGateway({...}) or an IEgressDataPlane (a kind and a bind method)');
  });

  test('the library\'s planes are IEgressDataPlanes too', () => {
    const plane: IEgressDataPlane = EgressDataPlane.istioGateway();
    expect(plane.kind).toBe('istio-gateway');
  });
});
