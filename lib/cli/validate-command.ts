import * as fs from 'fs';
import * as path from 'path';
import { readManifestFiles } from '../output/read-manifest-folder';
import { checkedProblems } from '../validation/library-checks';
import { MAAS_DEFAULT_GATEWAY_REF, type ObjectRef, parseObjectRef } from '../core/object-index';

/** What `maas-egress validate` printed and its exit code. */
export interface ValidateResult {
  readonly stdout: string;
  readonly code: number;
}

/** Usage line of `maas-egress validate`. */
export const VALIDATE_USAGE = 'maas-egress validate <dir|file>... [--existing [group/]Kind/namespace/name]...';

/** Thrown for bad arguments; the CLI prints it with the usage. */
export class ValidateUsageError extends Error {}

/**
 * `maas-egress validate`: checks YAML manifests the way synth does (pinned CRD
 * schemas, duplicate objects, cross-object integrity, fail-closed checks). Each
 * app folder (one with a kustomization.yaml) is checked on its own, as it is
 * applied on its own; other YAML files are checked together. The MaaS default
 * gateway counts as existing; `--existing` names other objects made elsewhere.
 */
export function runValidate(args: readonly string[]): ValidateResult {
  const targets: string[] = [];
  const existing: ObjectRef[] = [MAAS_DEFAULT_GATEWAY_REF];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--existing') {
      const given = args[++i] ?? '';
      try {
        existing.push(parseObjectRef(given));
      } catch {
        throw new ValidateUsageError(`--existing takes [group/]Kind/namespace/name, got "${given}"`);
      }
    } else if (args[i].startsWith('-')) {
      throw new ValidateUsageError(`unknown option ${args[i]}`);
    } else {
      targets.push(args[i]);
    }
  }
  if (targets.length === 0) throw new ValidateUsageError('name at least one folder or file');
  for (const target of targets) if (!fs.existsSync(target)) throw new ValidateUsageError(`no such folder or file: ${target}`);
  const declareHint = (ref: { group?: string; kind: string; namespace?: string; name: string }) =>
    'check the name, or add the object to this folder; if another app or a manual step creates it, '
    + `pass --existing ${ref.group ? `${ref.group}/` : ''}${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
  const groups = targets.flatMap(fileGroups);
  const lines: string[] = [];
  let failed = false;
  for (const group of groups) {
    const { manifests, problems } = readManifestFiles(group.files);
    problems.push(...checkedProblems(manifests, existing, declareHint));
    lines.push(...problems);
    const summary = `${manifests.length} objects in ${group.files.length} files: ${problems.length === 0 ? 'no problems' : `${problems.length} problem(s)`}`;
    lines.push(groups.length > 1 ? `${group.dir}: ${summary}` : summary);
    failed ||= problems.length > 0;
  }
  return { stdout: `${lines.join('\n')}\n`, code: failed ? 1 : 0 };
}

/**
 * The app folders below `target` (those with a kustomization.yaml, each with
 * its YAML files), then the YAML files outside any app folder; a file is a group of its own.
 */
function fileGroups(target: string): Array<{ dir: string; files: string[] }> {
  if (fs.statSync(target).isFile()) return [{ dir: target, files: [target] }];
  const apps: Array<{ dir: string; files: string[] }> = [];
  const loose: string[] = [];
  const walk = (folder: string, into: string[]) => {
    const isApp = fs.existsSync(path.join(folder, 'kustomization.yaml'));
    const files = isApp ? [] : into;
    if (isApp) apps.push({ dir: folder, files });
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full, files);
      else if (/\.ya?ml$/.test(entry.name) && entry.name !== 'kustomization.yaml') files.push(full);
    }
  };
  walk(target, loose);
  return [...apps, ...(loose.length > 0 || apps.length === 0 ? [{ dir: target, files: loose }] : [])];
}
