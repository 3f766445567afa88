import { BackendTls, EgressDataPlane, MaasEgressGateway, ProviderCredential, ProviderEndpoint, WgAiGatewayController } from '../../lib';
import { find, newChart, synth } from '../helpers';

const NS = 'maas-egress';

function wgApp(controller?: { image?: string }) {
  const { app, chart } = newChart();
  const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway({ controller }) });
  return { app, egress };
}

describe('wg-ai-gateway data plane', () => {
  test('listens on 8080 by default: its Envoy cannot bind a privileged port under the restricted SCC', () => {
    const { app, egress } = wgApp();
    egress.addProvider('p', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'h.example.com' }), credential: ProviderCredential.demoLiteral('k'), models: ['m'] });
    const out = synth(app);
    expect(find(out, 'Gateway', 'egress-gateway', NS).spec.listeners[0].port).toBe(8080);
    expect(find(out, 'HTTPRoute', 'p-bridge', NS).spec.rules[0].backendRefs).toEqual([{ name: 'envoy-maas-egress-egress-gateway', port: 8080 }]);
    expect(find(out, 'NetworkPolicy', 'egress-gateway-envoy-ingress', NS).spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    expect(() => new MaasEgressGateway(newChart().chart, 'g', { dataPlane: EgressDataPlane.wgAiGateway({ port: 1023 }) }))
      .toThrow(/invalid wg-ai-gateway listener port 1023: .*cannot bind a port below 1024/);
    expect(() => new MaasEgressGateway(newChart().chart, 'g', { dataPlane: EgressDataPlane.wgAiGateway({ port: 1024 }) })).not.toThrow();
  });

  test('TLS checks the certificate name: subjectAltNames default to the hostname, and can be set', () => {
    const { app, egress } = wgApp({ image: 'quay.io/example/wg-ai-gateway:548475f' });
    const ca = egress.declareExistingSecret('ca');
    egress.addProvider('a', { endpoint: ProviderEndpoint.vllm({ hostname: 'a.example.com', tls: BackendTls.verified({ caBundleSecret: ca }) }), credential: ProviderCredential.demoLiteral('k'), models: ['a'] });
    egress.addProvider('b', {
      endpoint: ProviderEndpoint.vllm({ hostname: 'b.example.com', tls: BackendTls.verified({ caBundleSecret: ca, subjectAltNames: ['edge.example.com'] }) }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['b'],
    });
    const out = synth(app);
    expect(find(out, 'XBackendDestination', 'a-backend', NS).spec.destination.ports[0].tls.subjectAltNames).toEqual(['a.example.com']);
    expect(find(out, 'XBackendDestination', 'b-backend', NS).spec.destination.ports[0].tls.subjectAltNames).toEqual(['edge.example.com']);
  });

  test('TLS without a CA bundle Secret is refused: the prototype would not verify the provider', () => {
    const { egress } = wgApp();
    expect(() => egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('k'), models: ['gpt-4o'] }))
      .toThrow(/^\[test\/egress\/openai\] invalid TLS without caBundleSecret on the wg-ai-gateway plane "Simple": .*or use EgressDataPlane.istioGateway\(\) or .direct\(\)/);
  });

  test('TLS with the seed\'s controller image fails synth and says what to do; a newer image passes', () => {
    const tlsProvider = (egress: MaasEgressGateway) => egress.addProvider('lab', {
      endpoint: ProviderEndpoint.vllm({ hostname: 'lab.example.com', tls: BackendTls.verified({ caBundleSecret: egress.declareExistingSecret('ca') }) }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['m'],
    });
    const seed = wgApp({});
    tlsProvider(seed.egress);
    expect(() => synth(seed.app)).toThrow(new RegExp(`lab uses TLS, but test/egress/Controller runs ${WgAiGatewayController.SEED_IMAGE.replace(/[.:/]/g, '\\$&')}, `
      + 'which predates TLS origination .*give controller.image an image built from kubernetes-sigs/wg-ai-gateway at 548475f or later'));
    const newer = wgApp({ image: 'quay.io/example/wg-ai-gateway:548475f' });
    tlsProvider(newer.egress);
    expect(() => synth(newer.app)).not.toThrow();
    // without TLS the seed image is fine
    const plain = wgApp({});
    plain.egress.addProvider('p', { unsafeAllowKeyOverPlainHttp: true, endpoint: ProviderEndpoint.vllm({ hostname: 'h.example.com' }), credential: ProviderCredential.demoLiteral('k'), models: ['m'] });
    expect(() => synth(plain.app)).not.toThrow();
  });
});
