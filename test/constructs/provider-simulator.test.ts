import { ProviderCredential, ProviderSimulator, SimulatedOnPremModel } from '../../lib';
import { find, newChart, synth } from '../helpers';

describe('ProviderSimulator', () => {
  test('runs the key-validating simulator with small resources and a readiness probe', () => {
    const { app, chart } = newChart();
    const sim = new ProviderSimulator(chart, 'sim', { model: 'm-1', apiKey: ProviderCredential.demoLiteral('demo-key'), namespace: 'sims' });
    const out = synth(app);
    const pod = find(out, 'Deployment', 'sim', 'sims').spec.template.spec;
    expect(pod.containers[0].args).toEqual(['--port', '8000', '--model', 'm-1', '--api-key', 'demo-key']);
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/health', port: 8000 });
    expect(pod.containers[0].resources.limits).toEqual({ cpu: '100m', memory: '64Mi' });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(find(out, 'Service', 'sim', 'sims').spec.ports).toEqual([{ name: 'http', port: 8000, targetPort: 8000 }]);
    expect(sim.endpoint().hostname).toBe('sim.sims.svc.cluster.local');
    expect(sim.endpoint().keyHeader.name).toBe('X-Provider-Api-Key');
  });

  test.each(['ghcr.io/me/sim:v1.2.0', 'ghcr.io/me/sim@sha256:' + 'a'.repeat(64), 'localhost:5000/sim:1'])('accepts the pinned image %s', (image) => {
    const { app, chart } = newChart();
    new ProviderSimulator(chart, 'sim', { model: 'm', apiKey: ProviderCredential.demoLiteral('k'), image });
    expect(find(synth(app), 'Deployment', 'sim').spec.template.spec.containers[0].image).toBe(image);
  });
});

// Every image prop rejects an image that floats, with the same check as the controller's images.
describe.each([
  ['ProviderSimulator', 'test/sim', (chart: any, image: string) => new ProviderSimulator(chart, 'sim', { model: 'm', apiKey: ProviderCredential.demoLiteral('k'), image })],
  ['SimulatedOnPremModel', 'test/model', (chart: any, image: string) => new SimulatedOnPremModel(chart, 'model', { image })],
])('%s image', (_construct, path, create) => {
  test.each(['ghcr.io/me/sim:latest', 'ghcr.io/me/sim:v1-latest', 'ghcr.io/me/sim', 'localhost:5000/sim'])('rejects %s', (image) => {
    const { chart } = newChart();
    expect(() => create(chart, image)).toThrow(`[${path}] invalid simulator image ${JSON.stringify(image)}: `
      + 'pin the image by a fixed tag (e.g. ":v1.37.0") or a digest ("@sha256:...")');
  });
});
