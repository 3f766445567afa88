import { ApiObject } from 'cdk8s';
import { MaasEgressGateway, ProviderCredential, ProviderEndpoint } from '../../lib';
import { demoCredentialValues } from '../../lib/credentials/provider-credential';
import { manifestsOf } from '../../lib/core/manifest';
import { credentialFindings } from '../../lib/validation/credential-scan';
import { allApps, newChart, synth } from '../helpers';

describe.each(allApps())('app %s', (_name, createApp) => {
  const app = createApp();
  const manifests = synth(app);

  test('holds no credential except declared demo values, each in an annotated object', () => {
    expect(credentialFindings(manifests, demoCredentialValues(app))).toEqual([]);
  });

  test('every pod runs restricted, with requests and limits', () => {
    const pods = manifests.flatMap((m: any) => {
      if (m.kind === 'Deployment') return [{ name: `Deployment ${m.metadata.name}`, pod: m.spec.template.spec, containers: m.spec.template.spec.containers }];
      if (m.kind === 'LLMInferenceService') return [{ name: `LLMInferenceService ${m.metadata.name}`, pod: undefined, containers: m.spec.template.containers }];
      return [];
    });
    // every workload kind must be inspected
    const workloads = manifests.filter((m) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'LLMInferenceService'].includes(m.kind));
    expect(pods.length).toBe(workloads.length);
    for (const { name, pod, containers } of pods) {
      if (pod) expect({ name, ctx: pod.securityContext }).toEqual({ name, ctx: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } });
      for (const c of containers) {
        expect({ name, allowPrivilegeEscalation: c.securityContext.allowPrivilegeEscalation, drop: c.securityContext.capabilities.drop })
          .toEqual({ name, allowPrivilegeEscalation: false, drop: ['ALL'] });
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      }
    }
  });
});

describe('the credential scan', () => {
  const base = () => {
    const { app, chart } = newChart();
    new MaasEgressGateway(chart, 'egress').addProvider('p', { unsafeAllowKeyOverPlainHttp: true,
      endpoint: ProviderEndpoint.vllm({ hostname: 'v.example.com' }), credential: ProviderCredential.demoLiteral('sk-demo-value-123'), models: ['m'],
    });
    return { app, chart };
  };

  test('finds a real-looking key that bypassed the demo API', () => {
    const { app, chart } = base();
    new ApiObject(chart, 'leak', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leak', namespace: 'x' }, data: { key: 'sk-proj-abcdefghijklmnop' } });
    expect(credentialFindings(manifestsOf(app), demoCredentialValues(app)))
      .toEqual(['ConfigMap x/leak: /data/key looks like an OpenAI-style key that did not come through ProviderCredential.demoLiteral']);
  });

  test('finds a demo value in an object without the annotation, and Secrets with data', () => {
    const { app, chart } = base();
    new ApiObject(chart, 'copy', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'copy', namespace: 'x' }, data: { k: 'sk-demo-value-123' } });
    new ApiObject(chart, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'x' }, stringData: { token: 'abc' } });
    expect(credentialFindings(manifestsOf(app), demoCredentialValues(app))).toEqual([
      `ConfigMap x/copy: /data/k holds a demo credential but the object lacks the annotation ${ProviderCredential.DEMO_ANNOTATION}`,
      'Secret x/s: a Secret with data is in the manifests; keep secrets out of Git (ExternalSecret, a secret store)',
    ]);
  });

  // one secret per pattern the scan knows, built at run time so that no
  // secret-shaped literal sits in the source; each with a near miss that must pass
  const repeat = (text: string, n: number) => text.repeat(n);
  test.each([
    ['an OpenAI-style key', `sk-${repeat('a1', 10)}`, `sk-${repeat('a', 7)}`],
    ['a Google API key', `AIza${repeat('B', 30)}`, `AIza${repeat('B', 19)}`],
    ['a Groq key', `gsk_${repeat('c', 20)}`, `gsk_${repeat('c', 15)}`],
    ['an AWS access key', `AKIA${repeat('Q', 16)}`, `AKIA${repeat('Q', 15)}`],
    ['a Vault token', `hvs.${repeat('v', 24)}`, `hvs.${repeat('v', 19)}`],
    ['a Vault token', `hvb.${repeat('v', 24)}`, `hvx.${repeat('v', 24)}`],
    ['a GitHub token', `ghp_${repeat('g', 36)}`, `ghp_${repeat('g', 19)}`],
    ['a GitHub token', `ghs_${repeat('g', 36)}`, `ghx_${repeat('g', 36)}`],
    ['a private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE', '-----BEGIN CERTIFICATE-----\nMIIE'],
    ['a private key', '-----BEGIN PRIVATE KEY-----', '-----BEGIN PUBLIC KEY-----'],
    ['a bearer token', `Bearer ${repeat('t', 12)}`, 'Bearer short'],
  ])('finds %s (%s), not its near miss', (name, secret, nearMiss) => {
    const { app, chart } = base();
    new ApiObject(chart, 'leak', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leak', namespace: 'x' }, data: { key: `value: ${secret}`, other: nearMiss } });
    expect(credentialFindings(manifestsOf(app), demoCredentialValues(app)))
      .toEqual([`ConfigMap x/leak: /data/key looks like ${name} that did not come through ProviderCredential.demoLiteral`]);
  });

  test.each(['false', 'True', 'yes', ''])('a demo value in an object whose demo annotation is %j (not "true") is a finding', (value) => {
    const { app, chart } = base();
    new ApiObject(chart, 'copy', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'copy', namespace: 'x', annotations: { [ProviderCredential.DEMO_ANNOTATION]: value } }, data: { k: 'sk-demo-value-123' },
    });
    expect(credentialFindings(manifestsOf(app), demoCredentialValues(app)))
      .toEqual([`ConfigMap x/copy: /data/k holds a demo credential but the object lacks the annotation ${ProviderCredential.DEMO_ANNOTATION}`]);
  });

  test('a Secret with data and a demo annotation that is not "true" is a finding', () => {
    const { app, chart } = base();
    new ApiObject(chart, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'x', annotations: { [ProviderCredential.DEMO_ANNOTATION]: 'false' } }, data: { token: 'YWJj' } });
    expect(credentialFindings(manifestsOf(app), demoCredentialValues(app)))
      .toEqual(['Secret x/s: a Secret with data is in the manifests; keep secrets out of Git (ExternalSecret, a secret store)']);
  });

  test('accepts the demo value where the library put it', () => {
    const { app } = base();
    expect(demoCredentialValues(app)).toEqual(['sk-demo-value-123']);
    expect(credentialFindings(manifestsOf(app), demoCredentialValues(app))).toEqual([]);
  });
});
