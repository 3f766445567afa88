import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { runCli } from '../../lib/cli/cli';
import { REPO_DIR } from '../helpers';

const DIST = path.join(REPO_DIR, 'dist');

test('--json prints the documented schema', () => {
  const run = runCli(['trace', path.join(DIST, 'mixed-providers'), 'post', '/external/openai/v1/chat/completions', '--user', 'alice', '--tier', 'free', '--header', 'X-Request-Id: 42', '--json']);
  expect(run.code).toBe(0);
  const t = JSON.parse(run.stdout);
  expect(Object.keys(t).sort()).toEqual(['hops', 'limits', 'objects', 'outcome', 'request', 'tierMaximum', 'upstream', 'warnings']);
  expect(t.request).toEqual({ method: 'POST', path: '/external/openai/v1/chat/completions', user: 'alice', tier: 'free', headers: ['x-request-id'] });
  expect(Object.keys(t.upstream).sort()).toEqual(['backend', 'headers', 'host', 'hostHeader', 'path', 'port', 'timeouts', 'tls']);
  expect(t.upstream.headers).toEqual({ 'x-provider-api-key': expect.any(String), 'x-request-id': 'client' });
  expect(Object.keys(t.limits[0]).sort()).toEqual(['amount', 'counter', 'kind', 'name', 'policy', 'route', 'unit', 'window']);
});

test('the bin script runs the compiled CLI and tells the story hop by hop', () => {
  const result = spawnSync(process.execPath, [path.join(REPO_DIR, 'bin', 'maas-egress.js'), 'trace', path.join(DIST, 'mixed-providers'), 'POST', '/external/openai/v1/chat/completions'], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^POST \/external\/openai\/v1\/chat\/completions \(no token\)\n1\. gateway openshift-ingress\/maas-default-gateway \(istio\)/);
  expect(result.stdout).toMatch(/=> rejected: 401 /);
});

// Every app folder must trace: one request per provider path and per model of the unified endpoint.
test.each(fs.readdirSync(DIST).filter((d) => fs.statSync(path.join(DIST, d)).isDirectory()))('dist/%s traces without errors', (app) => {
  const { probesOf } = require('../../lib/trace/probes') as typeof import('../../lib/trace/probes');
  const { loadManifestSet } = require('../../lib/cli/cli') as typeof import('../../lib/cli/cli');
  const { traceRequest } = require('../../lib/trace/tracer') as typeof import('../../lib/trace/tracer');
  const set = loadManifestSet(path.join(DIST, app));
  const probes = probesOf(set);
  expect(probes.length).toBeGreaterThan(0);
  for (const probe of probes) {
    const t = traceRequest(set, { method: probe.method, path: probe.path, user: 'u', tier: 'free', body: probe.body ? Buffer.from(probe.body) : undefined });
    expect([probe.subject, t.outcome, t.upstream?.host !== undefined]).toEqual([probe.subject, 'forwarded', true]);
  }
});
