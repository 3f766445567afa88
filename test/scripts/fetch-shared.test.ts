import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import { REPO_DIR, scratchOutdir } from '../helpers';

// `npm run fetch-shared` against a local file server (the network is closed
// here): downloads, document extraction, hash checks and what it refuses.
const { fetchShared, readHashes, sha256 } = require(path.join(REPO_DIR, 'scripts', 'fetch-shared.js'));
const { SHARED_FILES } = require(path.join(REPO_DIR, 'scripts', 'shared-sources.js'));

const PLAIN = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n';
const SECOND = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\ndata:\n  a: "1"\n';
const MULTI = `# generated\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n${SECOND}`;

let server: http.Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  const bodies: Record<string, string> = { '/plain.yaml': PLAIN, '/multi.yaml': MULTI };
  server = http.createServer((req, res) => {
    requests.push(req.url!);
    const body = bodies[req.url!];
    res.writeHead(body === undefined ? 404 : 200);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const files = () => [
  { path: 'a/plain.yaml', url: `${base}/plain.yaml` },
  { path: 'b/second.yaml', url: `${base}/multi.yaml`, document: 'second' },
];
const goodHashes = () => new Map([['a/plain.yaml', sha256(PLAIN)], ['b/second.yaml', sha256(SECOND)]]);

describe('fetch-shared', () => {
  test('downloads each file, extracts a named document byte for byte, and verifies both', async () => {
    const dir = scratchOutdir();
    requests.length = 0;
    const result = await fetchShared({ dir, files: files(), hashes: goodHashes() });
    expect(result).toEqual({ ok: true, lines: ['a/plain.yaml: fetched', 'b/second.yaml: fetched'] });
    expect(fs.readFileSync(path.join(dir, 'a/plain.yaml'), 'utf8')).toBe(PLAIN);
    expect(fs.readFileSync(path.join(dir, 'b/second.yaml'), 'utf8')).toBe(SECOND);
    expect(requests).toEqual(['/plain.yaml', '/multi.yaml']);
  });

  test('a file already present with its hash is not downloaded again', async () => {
    const dir = scratchOutdir();
    await fetchShared({ dir, files: files(), hashes: goodHashes() });
    requests.length = 0;
    const result = await fetchShared({ dir, files: files(), hashes: goodHashes() });
    expect(result.lines).toEqual(['a/plain.yaml: ok', 'b/second.yaml: ok']);
    expect(requests).toEqual([]);
  });

  test('a download with another hash is reported and not written', async () => {
    const dir = scratchOutdir();
    const hashes = goodHashes();
    hashes.set('a/plain.yaml', '0'.repeat(64));
    const result = await fetchShared({ dir, files: files(), hashes });
    expect(result.ok).toBe(false);
    expect(result.lines[0]).toBe(`a/plain.yaml: ${base}/plain.yaml has sha256 ${sha256(PLAIN)}, expected ${'0'.repeat(64)}; not written`);
    expect(fs.existsSync(path.join(dir, 'a/plain.yaml'))).toBe(false);
    expect(result.lines[1]).toBe('b/second.yaml: fetched');
  });

  test('a changed local file is replaced by the verified download', async () => {
    const dir = scratchOutdir();
    fs.mkdirSync(path.join(dir, 'a'));
    fs.writeFileSync(path.join(dir, 'a/plain.yaml'), 'edited\n');
    expect((await fetchShared({ dir, files: files(), hashes: goodHashes() })).lines[0]).toBe('a/plain.yaml: fetched');
    expect(fs.readFileSync(path.join(dir, 'a/plain.yaml'), 'utf8')).toBe(PLAIN);
  });

  test('an HTTP error, a missing document and a file without a hash are problems', async () => {
    const dir = scratchOutdir();
    const result = await fetchShared({
      dir,
      files: [
        { path: 'gone.yaml', url: `${base}/gone.yaml` },
        { path: 'b/third.yaml', url: `${base}/multi.yaml`, document: 'third' },
        { path: 'unlisted.yaml', url: `${base}/plain.yaml` },
      ],
      hashes: new Map([['gone.yaml', sha256('x')], ['b/third.yaml', sha256('x')]]),
    });
    expect(result.ok).toBe(false);
    expect(result.lines).toEqual([
      `gone.yaml: GET ${base}/gone.yaml: 404 Not Found`,
      `b/third.yaml: ${base}/multi.yaml has no document named third`,
      'unlisted.yaml: no sha256 in shared-sha256.txt; add one',
    ]);
  });

  test('--check downloads nothing and reports missing or changed files', async () => {
    const dir = scratchOutdir();
    fs.mkdirSync(path.join(dir, 'a'));
    fs.writeFileSync(path.join(dir, 'a/plain.yaml'), 'edited\n');
    requests.length = 0;
    const result = await fetchShared({ dir, files: files(), hashes: goodHashes(), check: true });
    expect(result.lines).toEqual([`a/plain.yaml: sha256 ${sha256('edited\n')}, expected ${sha256(PLAIN)}`, 'b/second.yaml: missing']);
    expect(requests).toEqual([]);
  });

  test('every shared file the tests read has a committed hash and a pinned upstream URL', () => {
    const hashes = readHashes();
    for (const file of SHARED_FILES) {
      expect([file.path, hashes.has(file.path)]).toEqual([file.path, true]);
      // a tag or a full commit, never a branch
      expect(file.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[^/]+\/[^/]+\/(v?\d+\.\d+\.\d+|[0-9a-f]{40})\//);
    }
    expect([...hashes.keys()].sort()).toEqual(SHARED_FILES.map((f: any) => f.path).sort());
  });
});
