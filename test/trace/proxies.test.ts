import { PROXY_MODELS, proxyOfClass } from '../../lib/trace/proxies';

describe('the proxies the trace models', () => {
  test.each([
    ['wg-ai-gateway', 'wg-ai-gateway'],
    ['openshift-default', 'istio'],
    ['istio', 'istio'],
    [undefined, 'istio'],
  ])('a Gateway of class %s runs on %s', (className, proxy) => {
    expect(proxyOfClass(className).name).toBe(proxy);
  });

  test('each model is named once, and only Istio runs Kuadrant', () => {
    const names = PROXY_MODELS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(PROXY_MODELS.filter((p) => p.runsKuadrant).map((p) => p.name)).toEqual(['istio']);
  });
});
