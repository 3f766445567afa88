import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { BackendTls, BudgetTarget, MaasEgressGateway, ProviderCredential, ProviderEndpoint, TierTokenBudget } from '../lib';
import { synthesizeManifests } from '../lib/output/manifests';
import { REPO_DIR, scratchOutdir } from './helpers';

// The sample messages of docs/checks.md and of the README are the real ones:
// each block is what these mistakes produce, character for character. After
// changing a message, update the page from this test's output.

const page = (file: string) => fs.readFileSync(path.join(REPO_DIR, file), 'utf8');
/** The text of the fenced block that follows `marker` in `text`. */
function blockAfter(marker: string, text = page('docs/checks.md')): string {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`the page lacks "${marker}"`);
  const start = text.indexOf('```\n', at) + 4;
  return text.slice(start, text.indexOf('\n```', start));
}

function chart(): Chart {
  return new Chart(new App({ outdir: scratchOutdir() }), 'app');
}
const key = ProviderCredential.demoLiteral('k');
const vllm = (host: string) => ProviderEndpoint.vllm({ hostname: host });
function messageOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
}

test('the construction errors in the README are real', () => {
  const messages = [
    messageOf(() => new MaasEgressGateway(chart(), 'egress').addProvider('OpenAI', { unsafeAllowKeyOverPlainHttp: true, endpoint: vllm('a.example.com'), credential: key, models: ['m'] })),
    messageOf(() => {
      const egress = new MaasEgressGateway(chart(), 'egress');
      egress.addProvider('a', { unsafeAllowKeyOverPlainHttp: true, endpoint: vllm('a.example.com'), credential: key, models: ['gpt-4'] });
      egress.addProvider('b', { unsafeAllowKeyOverPlainHttp: true, endpoint: vllm('b.example.com'), credential: key, models: ['gpt-4'] });
    }),
    messageOf(() => new MaasEgressGateway(chart(), 'egress').addProvider('p', { unsafeAllowKeyOverPlainHttp: true,
      endpoint: ProviderEndpoint.custom({ hostname: 'https://api.openai.com' }), credential: key, models: ['m'],
    })),
    messageOf(() => new MaasEgressGateway(chart(), 'egress').addProvider('azure', {
      endpoint: ProviderEndpoint.azureOpenAi({ resource: 'contoso.openai.azure.com', tls: BackendTls.verified({ caBundleSecret: 'ca' }) }), credential: key, models: ['gpt-4o'],
    })),
    messageOf(() => {
      const c = chart();
      const a = new MaasEgressGateway(c, 'egress').addProvider('a', { unsafeAllowKeyOverPlainHttp: true, endpoint: vllm('a.example.com'), credential: key, models: ['m'] });
      new TierTokenBudget(c, 'b1', { target: BudgetTarget.providers(a), limits: [{ tier: 'free', tokens: 100 }] });
      new TierTokenBudget(c, 'b2', { target: BudgetTarget.providers(a), limits: [{ tier: 'free', tokens: 200 }] });
    }),
    messageOf(() => new TierTokenBudget(chart(), 'tokens', { target: BudgetTarget.providers() })),
  ];
  expect(blockAfter('## At construction')).toBe(messages.join('\n'));
});

test('the synth errors in the README are real', () => {
  const c = chart();
  const egress = new MaasEgressGateway(c, 'egress');
  egress.addProvider('openai', { unsafeAllowKeyOverPlainHttp: true, endpoint: vllm('vllm.example.com'), credential: key, models: ['m'] });
  new ApiObject(c, 'stray', {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'stray', namespace: 'maas-egress' },
    spec: {
      parentRefs: [{ name: 'egress-gateway' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/stray/' } }], backendRefs: [{ group: 'ainetworking.prototype.x-k8s.io', kind: 'Backend', name: 'nope-backend', port: 80 }] }],
    },
  });
  new ApiObject(c, 'rl', {
    apiVersion: 'kuadrant.io/v1', kind: 'RateLimitPolicy', metadata: { name: 'rl', namespace: 'maas-egress' },
    spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'opneai-bridge' }, limits: { l: { rates: [{ limit: 1, window: '1m' }] } } },
  });
  new ApiObject(c, 'typo', {
    apiVersion: 'kuadrant.io/v1alpha1', kind: 'TokenRateLimitPolicy', metadata: { name: 'typo', namespace: 'maas-egress' },
    spec: { targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'openai-bridge' }, limits: { l: { rates: [{ limit: 1, window: '1m' }], counter: [] } } },
  });
  expect(blockAfter('## At synth')).toBe(messageOf(() => synthesizeManifests(c.node.root as App)));
});

test("the README's sample error is real", () => {
  const c = new Chart(new App({ outdir: scratchOutdir() }), 'models');
  const message = messageOf(() => new MaasEgressGateway(c, 'egress').addProvider('OpenAI', { endpoint: ProviderEndpoint.openAi(), credential: key, models: ['gpt-4o'] }));
  expect(blockAfter('A mistake stops the synth', page('README.md'))).toBe(message);
});
