import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { EgressDataPlane, MaasEgressGateway, ProviderCredential, ProviderEndpoint } from '../../lib';
import { synthesizeManifests } from '../../lib/output/manifests';

// Hand-written Istio objects next to a sound direct-plane app: each mistake is
// one the cluster accepts and that then answers 500/503 or verifies nothing.

function directApp(): { app: App; chart: Chart } {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'istio-integrity-')) });
  const chart = new Chart(app, 'broken');
  const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.direct() });
  egress.addProvider('openai', { endpoint: ProviderEndpoint.openAi(), credential: ProviderCredential.demoLiteral('k'), models: ['gpt-4o'] });
  return { app, chart };
}

function istio(chart: Chart, kind: string, name: string, spec: object, namespace = 'maas-egress'): void {
  new ApiObject(chart, `${kind}-${name}`, { apiVersion: 'networking.istio.io/v1', kind, metadata: { name, namespace }, spec });
}

function hostnameRoute(chart: Chart, name: string, host: string, port: number, namespace = 'maas-egress'): void {
  new ApiObject(chart, name, {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace },
    spec: {
      parentRefs: [{ name: 'maas-default-gateway', namespace: 'openshift-ingress' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: `/${name}/` } }], backendRefs: [{ group: 'networking.istio.io', kind: 'Hostname', name: host, port }] }],
    },
  });
}

function expectSynthFailure(app: App, message: RegExp): void {
  expect(() => synthesizeManifests(app)).toThrow(message);
  expect(() => app.synth()).toThrow(message);
}

describe('Istio integrity', () => {
  test('a sound direct-plane app synthesizes', () => {
    expect(() => synthesizeManifests(directApp().app)).not.toThrow();
  });

  test('a Hostname backend without a ServiceEntry in the route\'s namespace', () => {
    const { app, chart } = directApp();
    hostnameRoute(chart, 'mistral', 'api.mistral.ai', 443);
    expectSynthFailure(app, /HTTPRoute maas-egress\/mistral: backendRef Hostname api.mistral.ai has no ServiceEntry for that host in the route's namespace maas-egress/);
    // a ServiceEntry elsewhere does not count, even exported
    const other = directApp();
    istio(other.chart, 'ServiceEntry', 'mistral', { hosts: ['api.mistral.ai'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' }, 'elsewhere');
    hostnameRoute(other.chart, 'mistral', 'api.mistral.ai', 443);
    expectSynthFailure(other.app, /backendRef Hostname api.mistral.ai has no ServiceEntry for that host in the route's namespace/);
  });

  test('a Hostname backend on a port its ServiceEntry does not declare', () => {
    const { app, chart } = directApp();
    hostnameRoute(chart, 'stray', 'api.openai.com', 8443);
    expectSynthFailure(app, /backendRef Hostname api.openai.com uses port 8443, which ServiceEntry maas-egress\/openai-backend does not declare \(ports: 443\)/);
  });

  test('a ServiceEntry the gateway\'s namespace cannot see', () => {
    const { app, chart } = directApp();
    istio(chart, 'ServiceEntry', 'mistral', { hosts: ['api.mistral.ai'], ports: [{ number: 443, name: 'https', protocol: 'HTTPS' }], resolution: 'DNS', location: 'MESH_EXTERNAL', exportTo: ['.'] });
    hostnameRoute(chart, 'mistral', 'api.mistral.ai', 443);
    expectSynthFailure(app, /ServiceEntry maas-egress\/mistral is not exported to the gateway's namespace openshift-ingress/);
  });

  test('a TLS DestinationRule for a host no ServiceEntry declares, and a second one for a host', () => {
    const { app, chart } = directApp();
    istio(chart, 'DestinationRule', 'typo', { host: 'api.openai.co', trafficPolicy: { tls: { mode: 'SIMPLE' } } });
    istio(chart, 'DestinationRule', 'again', { host: 'api.openai.com', trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true } } }, 'team-b');
    expectSynthFailure(app, /DestinationRule maas-egress\/typo: host api.openai.co is declared by no ServiceEntry/);
    expectSynthFailure(app, /DestinationRule team-b\/again: DestinationRule maas-egress\/openai-backend already configures host api.openai.com/);
  });
});
