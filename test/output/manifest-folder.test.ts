import * as fs from 'fs';
import * as path from 'path';
import { MANIFEST_FOLDER_MARKER, writeManifestFolder } from '../../lib/output/manifest-folder';
import { Manifest } from '../../lib/core/manifest';
import { scratchOutdir } from '../helpers';

const object = (kind: string, name: string): Manifest => ({ apiVersion: 'v1', kind, metadata: { name } } as Manifest);

describe('writeManifestFolder', () => {
  test('replaces only what it wrote before: a .git folder and a stray file survive', () => {
    const dir = scratchOutdir();
    writeManifestFolder(dir, [object('ConfigMap', 'a'), object('ConfigMap', 'b')]);
    fs.mkdirSync(path.join(dir, '.git'));
    fs.writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(dir, 'NOTES.md'), 'mine');

    writeManifestFolder(dir, [object('ConfigMap', 'b'), object('ConfigMap', 'c')]);

    expect(fs.readdirSync(dir).sort()).toEqual(['.git', '1-configmap-cluster-b.yaml', '1-configmap-cluster-c.yaml', 'NOTES.md', 'kustomization.yaml']);
    expect(fs.readFileSync(path.join(dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    expect(fs.readFileSync(path.join(dir, 'NOTES.md'), 'utf8')).toBe('mine');
    expect(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8').split('\n')[0]).toBe(MANIFEST_FOLDER_MARKER);
  });

  test('refuses a non-empty folder it did not write, and deletes nothing there', () => {
    const dir = scratchOutdir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'main.ts'), 'my app');
    expect(() => writeManifestFolder(dir, [object('ConfigMap', 'a')]))
      .toThrow(`Manifests.writeFolder: ${dir} is not empty and holds no earlier output of Manifests.writeFolder`);
    expect(fs.readdirSync(dir)).toEqual(['main.ts']);
  });

  test('a kustomization that lists files elsewhere is not taken as its own', () => {
    const dir = scratchOutdir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - ../base\n');
    expect(() => writeManifestFolder(dir, [object('ConfigMap', 'a')])).toThrow(/holds no earlier output/);
    expect(fs.readdirSync(dir)).toEqual(['kustomization.yaml']);
  });

  test('recognises output written before the marker by its file names', () => {
    const dir = scratchOutdir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '1-configmap-cluster-old.yaml'), 'x');
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - 1-configmap-cluster-old.yaml\n');
    writeManifestFolder(dir, [object('ConfigMap', 'new')]);
    expect(fs.readdirSync(dir).sort()).toEqual(['1-configmap-cluster-new.yaml', 'kustomization.yaml']);
  });

  test('recognises the marker of earlier releases: a file it listed with a name of its own is replaced too', () => {
    const dir = scratchOutdir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'renamed-by-hand.yaml'), 'x');
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'),
      '# Written by cdk8s-maas-egress writeManifestFolder: the files listed below are replaced on every write.\nresources:\n  - renamed-by-hand.yaml\n');
    writeManifestFolder(dir, [object('ConfigMap', 'new')]);
    expect(fs.readdirSync(dir).sort()).toEqual(['1-configmap-cluster-new.yaml', 'kustomization.yaml']);
  });
});
