import { ProviderCredential, ProviderSimulator } from '../../lib';
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
});
