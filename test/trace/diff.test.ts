import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { runCli } from '../../lib/cli/cli';
import { OutputDiff } from '../../lib/trace/differ';
import { REPO_DIR } from '../helpers';

const BASE = path.join(REPO_DIR, 'dist', 'mixed-providers');
let tmp: string;
let changed: string;

function edit(dir: string, file: string, change: (o: any) => void): void {
  const full = path.join(dir, file);
  const object = parse(fs.readFileSync(full, 'utf8'));
  change(object);
  fs.writeFileSync(full, stringify(object));
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-egress-diff-'));
  changed = path.join(tmp, 'changed');
  fs.cpSync(BASE, changed, { recursive: true });
  // a limit changes
  edit(changed, '3-tokenratelimitpolicy-maas-egress-tier-tokens-openai.yaml', (o) => { o.spec.limits['free-user-tokens'].rates[0].limit = 250; });
  // a provider is removed (its simulator stays)
  for (const file of fs.readdirSync(changed).filter((f) => /maas-egress-(tier-tokens-)?anthropic/.test(f))) fs.rmSync(path.join(changed, file));
  // a key source switches from the demo literal to Vault
  edit(changed, '3-authpolicy-maas-egress-vllm-bridge-auth.yaml', (o) => {
    delete o.metadata.annotations['maas-egress/demo-credentials'];
    o.spec.rules.metadata = { key_vllm: { http: {
      url: 'https://vault.vault.svc:8200/v1/secret/data/maas/providers/vllm', method: 'GET',
      sharedSecretRef: { name: 'vault-token', key: 'token' }, credentials: { customHeader: { name: 'X-Vault-Token' } },
    } } };
    o.spec.rules.response.success.headers.authorization.plain.expression = "'Bearer ' + auth.metadata.key_vllm.data.data.api_key";
  });
  // a change no request can see
  edit(changed, '3-networkpolicy-maas-egress-egress-gateway-envoy-ingress.yaml', (o) => { o.metadata.labels = { team: 'ai' }; });
});

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function diff(): { code: number; result: OutputDiff } {
  const run = runCli(['diff', BASE, changed, '--json']);
  return { code: run.code, result: JSON.parse(run.stdout) };
}

test('a changed limit is reported for the tier it concerns, with old and new values', () => {
  const openai = diff().result.subjects.find((s) => s.subject === 'provider openai')!;
  expect(openai.status).toBe('changed');
  expect(openai.changes.filter((c) => c.aspect === 'limits')).toEqual([expect.objectContaining({ aspect: 'limits', caller: 'tier free', old: expect.stringMatching(/^100 tokens per 1m/), new: expect.stringMatching(/^250 tokens per 1m/) })]);
  // what a free user can spend across all routes changed too (one route fewer, one limit larger)
  expect(openai.changes).toContainEqual(expect.objectContaining({ aspect: 'scope', caller: 'tier free',
    old: 'tier free: at most 300 tokens per 1m over 3 limit(s) on the MaaS gateway\'s routes, per user',
    new: 'tier free: at most 350 tokens per 1m over 2 limit(s) on the MaaS gateway\'s routes, per user' }));
});

test('a removed provider is reported as removed: the token holder that was forwarded now gets 404', () => {
  const anthropic = diff().result.subjects.find((s) => s.subject === 'provider anthropic')!;
  expect(anthropic.status).toBe('removed');
  expect(anthropic.changes).toContainEqual(expect.objectContaining({ aspect: 'reachability', caller: 'tier free', old: 'forwarded', new: expect.stringMatching(/^rejected 404/) }));
});

test('a switched key source is reported once, naming both sources and no key', () => {
  const vllm = diff().result.subjects.find((s) => s.subject === 'provider vllm')!;
  const headers = vllm.changes.filter((c) => c.aspect === 'headers');
  expect(headers).toEqual([expect.objectContaining({ old: expect.stringMatching(/^authorization: demo literal/), new: expect.stringMatching(/^authorization: "Bearer " \+ key from Vault .*maas\/providers\/vllm/) })]);
  expect(JSON.stringify(vllm)).not.toContain('change-me-super-secret');
});

test('object changes are listed, and those without effect on any request say so; the exit code is 1', () => {
  const { code, result } = diff();
  expect(code).toBe(1);
  expect(result.changed).toBe(true);
  expect(result.objectChanges).toContainEqual({ object: 'HTTPRoute maas-egress/anthropic-bridge', change: 'removed' });
  expect(result.withoutEffect).toEqual(['NetworkPolicy maas-egress/egress-gateway-envoy-ingress']);
  expect(result.subjects.map((s) => s.subject)).toEqual(['provider anthropic', 'provider openai', 'provider vllm']);
});

test('identical meaning: exit code 0, even when only an object without effect changed', () => {
  const same = path.join(tmp, 'same');
  fs.cpSync(BASE, same, { recursive: true });
  edit(same, '3-networkpolicy-maas-egress-egress-gateway-envoy-ingress.yaml', (o) => { o.metadata.labels = { team: 'ai' }; });
  const run = runCli(['diff', BASE, same]);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^No request behaves differently\.\n[\s\S]*changed NetworkPolicy maas-egress\/egress-gateway-envoy-ingress \(no effect on any traced request\)/);
});

test('usage and input errors exit 2', () => {
  expect(runCli(['diff', BASE]).code).toBe(2);
  expect(runCli(['diff', BASE, path.join(tmp, 'missing')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/no such folder/) });
  expect(runCli(['trace', BASE, 'POST'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/usage:/) });
  expect(runCli(['trace', BASE, 'POST', '/x', '--bogus']).code).toBe(2);
});

describe('the /v1/models listing is part of the meaning', () => {
  let dir: string;
  const listingDiff = (from: string, to: string): { code: number; result: OutputDiff } => {
    const run = runCli(['diff', from, to, '--json']);
    return { code: run.code, result: JSON.parse(run.stdout) };
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maas-egress-listing-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a registry entry dropped while its route stays: the model leaves /v1/models, which is a change', () => {
    fs.cpSync(BASE, dir, { recursive: true });
    edit(dir, '1-configmap-opendatahub-external-model-registry.yaml', (o) => {
      o.data.models = stringify(parse(o.data.models).filter((m: any) => m.id !== 'gpt-4'));
    });
    const { code, result } = listingDiff(BASE, dir);
    expect(code).toBe(1);
    expect(result.subjects).toEqual([{
      subject: 'listed model gpt-4', request: 'GET /v1/models', status: 'removed',
      changes: [{ aspect: 'listing', old: 'owned_by openai, served by openai-backend (ConfigMap opendatahub/external-model-registry)', new: 'not listed' }],
    }]);
    expect(result.objectChanges).toEqual([{ object: 'ConfigMap opendatahub/external-model-registry', change: 'changed' }]);
    expect(result.withoutEffect).toEqual([]);
  });

  test('a display name changed on current MaaS: the MaaSModelRef entry is compared', () => {
    const current = path.join(REPO_DIR, 'dist', 'current-maas');
    fs.cpSync(current, dir, { recursive: true });
    edit(dir, '5-maasmodelref-llm-gpt-4o.yaml', (o) => {
      o.metadata.annotations = { ...o.metadata.annotations, 'openshift.io/display-name': 'GPT-4o (EU)' };
    });
    const { code, result } = listingDiff(current, dir);
    expect(code).toBe(1);
    expect(result.subjects).toEqual([expect.objectContaining({
      subject: 'listed model gpt-4o', status: 'changed',
      changes: [{ aspect: 'listing', old: 'ExternalModel gpt-4o (MaaSModelRef llm/gpt-4o)', new: 'ExternalModel gpt-4o, display name "GPT-4o (EU)" (MaaSModelRef llm/gpt-4o)' }],
    })]);
  });

  test('the same listing in both: no listing subject', () => {
    fs.cpSync(BASE, dir, { recursive: true });
    expect(listingDiff(BASE, dir)).toEqual({ code: 0, result: expect.objectContaining({ changed: false, subjects: [] }) });
  });
});
