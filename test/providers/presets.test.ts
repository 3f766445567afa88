import { BackendTls, EgressDataPlane, MaasEgressGateway, Manifests, ProviderCredential, ProviderEndpoint } from '../../lib';
import { find, newChart, synth } from '../helpers';

const tls = BackendTls.verified({ caBundleSecret: 'public-ca' });
// the prototype checks the certificate's name only when subjectAltNames is set, so it defaults to the hostname
const verifiedTls = (host: string) => ({ mode: 'Simple', sni: host, caBundleRef: [{ group: '', kind: 'Secret', name: 'public-ca' }], subjectAltNames: [host] });

// [preset, host, API base path, key header, header value prefix]
const presets: Array<[string, ProviderEndpoint, string, string, string, string]> = [
  ['openai', ProviderEndpoint.openAi({ tls }), 'api.openai.com', '/v1/', 'Authorization', 'Bearer '],
  ['anthropic', ProviderEndpoint.anthropic({ tls }), 'api.anthropic.com', '/v1/', 'Authorization', 'Bearer '],
  ['gemini', ProviderEndpoint.gemini({ tls }), 'generativelanguage.googleapis.com', '/v1beta/openai/', 'Authorization', 'Bearer '],
  ['azure', ProviderEndpoint.azureOpenAi({ resource: 'contoso', tls }), 'contoso.openai.azure.com', '/openai/v1/', 'api-key', ''],
  ['mistral', ProviderEndpoint.mistral({ tls }), 'api.mistral.ai', '/v1/', 'Authorization', 'Bearer '],
  ['groq', ProviderEndpoint.groq({ tls }), 'api.groq.com', '/openai/v1/', 'Authorization', 'Bearer '],
];

describe('provider presets', () => {
  test.each(presets)('%s', (name, endpoint, host, base, header, prefix) => {
    const { app, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway() });
    egress.declareExistingSecret('public-ca');
    egress.addProvider(name, { unsafeAllowKeyOverPlainHttp: true, endpoint, credential: ProviderCredential.demoLiteral('k'), models: [`${name}-m`] });
    const out = synth(app);
    expect(find(out, 'XBackendDestination', `${name}-backend`).spec.destination).toEqual({
      type: 'Fqdn', fqdn: { hostname: host }, ports: [{ number: 443, protocol: 'HTTP', tls: verifiedTls(host) }],
    });
    const rule = find(out, 'HTTPRoute', `${name}-route`).spec.rules[0];
    const passThrough = base === '/v1/';
    expect(rule.matches[0].path.value).toBe(passThrough ? `/${name}/` : `/${name}/v1/`);
    expect(rule.filters[0].urlRewrite.path.replacePrefixMatch).toBe(passThrough ? '/' : base);
    expect(rule.filters[0].urlRewrite.hostname).toBe(host);
    expect(rule.backendRefs[0].port).toBe(443);
    expect(find(out, 'AuthPolicy', `${name}-bridge-auth`).spec.rules.response.success.headers)
      .toEqual({ [header.toLowerCase()]: { plain: { expression: `'${prefix}k'` } } });
  });

  test.each([
    ['contoso.openai.azure.com', 'contoso'],
    ['https://contoso.openai.azure.com/openai/v1/', 'contoso'],
    ['Contoso', 'contoso'],
    ['my.resource', 'contoso'],
  ])('azureOpenAi rejects resource %j: it wants only the resource name', (resource, example) => {
    const { chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress');
    expect(() => egress.addProvider('azure', {
      endpoint: ProviderEndpoint.azureOpenAi({ resource, tls }), credential: ProviderCredential.demoLiteral('k'), models: ['gpt-4o'],
    })).toThrow(`[test/egress/azure] invalid Azure OpenAI resource ${JSON.stringify(resource)}: give only the resource name, such as `
      + `"${example}" (the host becomes ${example}.openai.azure.com), not a host name or URL; lower-case letters, digits and "-"`);
  });

  test('vLLM over TLS keeps its port; mutual TLS references the client certificate', () => {
    const { app, chart } = newChart();
    const egress = new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway() });
    egress.declareExistingSecret('lab-ca');
    egress.declareExistingSecret('lab-client');
    egress.addProvider('vllm', {
      endpoint: ProviderEndpoint.vllm({
        hostname: 'vllm.example.com',
        tls: BackendTls.mutual({ caBundleSecret: 'lab-ca', clientCertificateSecret: 'lab-client', sni: 'inference.example.com', subjectAltNames: ['inference.example.com'] }),
      }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['q'],
    });
    expect(find(synth(app), 'XBackendDestination', 'vllm-backend').spec.destination.ports).toEqual([{
      number: 8000,
      protocol: 'HTTP',
      tls: {
        mode: 'Mutual', sni: 'inference.example.com', subjectAltNames: ['inference.example.com'],
        caBundleRef: [{ group: '', kind: 'Secret', name: 'lab-ca' }],
        clientCertificateRef: { group: '', kind: 'Secret', name: 'lab-client' },
      },
    }]);
  });

  test('skipping verification is explicit and annotated', () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress', { dataPlane: EgressDataPlane.wgAiGateway() }).addProvider('lab', {
      endpoint: ProviderEndpoint.custom({ hostname: 'lab.example.com', tls: BackendTls.insecureSkipVerify() }),
      credential: ProviderCredential.demoLiteral('k'),
      models: ['l'],
    });
    const backend = find(synth(app), 'XBackendDestination', 'lab-backend');
    expect(backend.metadata.annotations).toEqual({ 'maas-egress/insecure-tls': 'true', [Manifests.SYNC_WAVE_ANNOTATION]: '3' });
    expect(backend.spec.destination.ports).toEqual([{ number: 443, protocol: 'HTTP', tls: { mode: 'Simple', sni: 'lab.example.com', insecureSkipVerify: true } }]);
  });
});
