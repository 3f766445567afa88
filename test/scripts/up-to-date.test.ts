import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_DIR, scratchOutdir } from '../helpers';

// The skipping of unchanged build steps (scripts/up-to-date.js) and of unchanged
// apps in the main job (scripts/synth.js), with stamps kept in a temporary folder.
const stamps = scratchOutdir();
process.env.MAAS_EGRESS_STAMPS_DIR = stamps;
const { fingerprint, upToDate, record, forget } = require(path.join(REPO_DIR, 'scripts', 'up-to-date.js'));

describe('up-to-date stamps', () => {
  const dir = scratchOutdir();
  const file = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
  const print = () => fingerprint([dir], (f: string) => f.endsWith('.ts'));

  test('a step is up to date only while every input is as recorded', () => {
    file('a.ts', 'a');
    file('notes.md', 'ignored');
    expect(upToDate('step', print())).toBe(false);
    record('step', print());
    expect(upToDate('step', print())).toBe(true);

    file('notes.md', 'still ignored by the filter');
    expect(upToDate('step', print())).toBe(true);

    file('b.ts', 'b'); // added
    expect(upToDate('step', print())).toBe(false);
    record('step', print());

    fs.utimesSync(path.join(dir, 'b.ts'), new Date(2000, 1, 1), new Date(2000, 1, 1)); // restored with an older time
    expect(upToDate('step', print())).toBe(false);
    record('step', print());

    fs.rmSync(path.join(dir, 'a.ts')); // removed
    expect(upToDate('step', print())).toBe(false);
    record('step', print());

    forget('step');
    expect(upToDate('step', print())).toBe(false);
  });

  test('a missing input is recorded as missing', () => {
    expect(fingerprint([path.join(dir, 'nope')])).toEqual({ [path.join(dir, 'nope')]: 'missing' });
  });
});

describe('npm run synth skips unchanged apps', () => {
  const outdir = scratchOutdir();
  const synth = (...args: string[]) => {
    const result = spawnSync(process.execPath, [path.join(REPO_DIR, 'scripts', 'synth.js'), '--outdir', outdir, 'mixed-providers', ...args], {
      encoding: 'utf8', env: { ...process.env, MAAS_EGRESS_STAMPS_DIR: stamps },
    });
    expect(result.stderr).toBe('');
    return result.stdout.trim();
  };
  const app = path.join(outdir, 'mixed-providers');

  test('writes the folder, then reports it up to date until the folder or --force says otherwise', () => {
    expect(synth()).toMatch(/^\S+mixed-providers: \d+ objects$/);
    const files = fs.readdirSync(app).sort();
    expect(synth()).toBe(`${app}: up to date`);

    fs.writeFileSync(path.join(app, files[0]), 'edited by hand\n');
    expect(synth()).toMatch(/: \d+ objects$/);
    expect(fs.readFileSync(path.join(app, files[0]), 'utf8')).not.toBe('edited by hand\n');
    expect(synth()).toBe(`${app}: up to date`);

    fs.rmSync(path.join(app, files[1]));
    expect(synth()).toMatch(/: \d+ objects$/);
    expect(fs.readdirSync(app).sort()).toEqual(files);

    expect(synth('--force')).toMatch(/: \d+ objects$/);
    expect(synth()).toBe(`${app}: up to date`);
  });
});

describe('npm run synth synthesizes again only the apps that load a changed module', () => {
  const outdir = scratchOutdir();
  const synth = (...apps: string[]) => {
    const result = spawnSync(process.execPath, [path.join(REPO_DIR, 'scripts', 'synth.js'), '--outdir', outdir, ...apps], {
      encoding: 'utf8', env: { ...process.env, MAAS_EGRESS_STAMPS_DIR: stamps },
    });
    expect(result.stderr).toBe('');
    return result.stdout.trim().split('\n');
  };
  const touch = (file: string) => {
    const full = path.join(REPO_DIR, 'build', file);
    const now = new Date();
    fs.utimesSync(full, now, new Date(now.getTime() + 2000));
  };

  test('an app\'s own module reaches only it; a library module every app that loads it', () => {
    synth('current-maas', 'single-hop');
    expect(synth('current-maas', 'single-hop').every((l) => l.endsWith('up to date'))).toBe(true);
    touch('apps/current-maas/main.js');
    expect(synth('current-maas', 'single-hop').map((l) => l.replace(`${outdir}/`, ''))).toEqual(['current-maas: 26 objects', 'single-hop: up to date']);
    // the subscription platform's release table: loaded by every app through the platform module
    touch('lib/platform/subscription/maas-releases.js');
    expect(synth('current-maas', 'single-hop').map((l) => l.replace(`${outdir}/`, '').replace(/\d+ objects/, 'n objects')))
      .toEqual(['current-maas: n objects', 'single-hop: n objects']);
  });
});
