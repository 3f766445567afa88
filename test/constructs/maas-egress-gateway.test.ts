import { GatewayReference, MaasEgressGateway, MaasPlatform } from '../../lib';
import { find, newChart, ofKind, synth } from '../helpers';

describe('MaasEgressGateway', () => {
  test('names the Envoy Service as the controller does', () => {
    const { chart } = newChart();
    expect(new MaasEgressGateway(chart, 'a', { name: 'poc-gateway', namespace: 'default' }).envoyServiceName).toBe('envoy-poc-gateway');
    expect(new MaasEgressGateway(chart, 'b', { name: 'gw', namespace: 'egress' }).envoyServiceName).toBe('envoy-egress-gw');
  });

  test('creates the Gateway, its namespace, the registry and the Envoy NetworkPolicy', () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress', {
      port: 8080,
      platform: MaasPlatform.tierBased({ gateway: GatewayReference.of({ name: 'maas', namespace: 'gw-ns', podLabels: { role: 'maas' } }) }),
    });
    const out = synth(app);
    expect(find(out, 'Namespace', 'maas-egress')).toBeDefined();
    const gw = find(out, 'Gateway', 'egress-gateway', 'maas-egress');
    expect(gw.spec).toEqual({
      gatewayClassName: 'wg-ai-gateway',
      listeners: [{ name: 'http', protocol: 'HTTP', port: 8080, allowedRoutes: { namespaces: { from: 'Same' } } }],
    });
    expect(find(out, 'ConfigMap', 'external-model-registry', 'opendatahub').data.models).toBe('[]\n');
    const policy = find(out, 'NetworkPolicy', 'egress-gateway-envoy-ingress', 'maas-egress');
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { app: 'envoy-maas-egress-egress-gateway' } },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gw-ns' } }, podSelector: { matchLabels: { role: 'maas' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      }],
    });
    expect(ofKind(out, 'Deployment')).toEqual([]);
  });

  test('namespace default is never created; the NetworkPolicy can be opted out of', () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress', { namespace: 'default', restrictEnvoyIngress: false });
    const out = synth(app);
    expect(ofKind(out, 'Namespace')).toEqual([]);
    expect(ofKind(out, 'NetworkPolicy')).toEqual([]);
  });

  test('installs the controller on request', () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress', { controller: { image: 'example.com/ctl:v1', envoyImage: 'example.com/envoy@sha256:abc' } });
    const out = synth(app);
    const deployment = find(out, 'Deployment', 'ai-gateway-controller', 'ai-gateway-system');
    const pod = deployment.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.serviceAccountName).toBe('ai-gateway-controller');
    expect(pod.containers[0].image).toBe('example.com/ctl:v1');
    expect(pod.containers[0].args).toEqual(['--envoy-image=example.com/envoy@sha256:abc']);
    expect(find(out, 'GatewayClass', 'wg-ai-gateway').spec.controllerName).toBe('sigs.k8s.io/wg-ai-gateway-envoy-controller');
    expect(find(out, 'Service', 'ai-gateway-controller', 'ai-gateway-system').spec.ports).toEqual([{ name: 'xds', port: 15001, targetPort: 15001, protocol: 'TCP' }]);
  });

  test('the controller role grants no write on routes, backends or endpoints', () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress', { controller: {} });
    const role = find(synth(app), 'ClusterRole', 'ai-gateway-controller');
    const grants = role.rules.flatMap((r: any) => r.resources.flatMap((res: string) => r.verbs.map((v: string) => `${res}:${v}`)));
    for (const forbidden of ['httproutes:update', 'httproutes:patch', 'xbackenddestinations:create', 'endpoints:list', 'secrets:get', 'services:update']) {
      expect(grants).not.toContain(forbidden);
    }
    expect(grants).toEqual(expect.arrayContaining(['deployments:create', 'deployments:patch', 'services:patch', 'gateways/status:update']));
  });
});
