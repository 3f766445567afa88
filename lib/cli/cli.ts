import * as fs from 'fs';
import { readManifestFiles, readManifestFolder } from '../output/read-manifest-folder';
import { runValidate, VALIDATE_USAGE, ValidateUsageError } from './validate-command';
import { diffOutputs } from '../trace/differ';
import { ManifestSet } from '../trace/manifest-set';
import { renderDiff } from '../trace/render-diff';
import { renderTrace } from '../trace/render-trace';
import { traceRequest, type TraceOptions } from '../trace/tracer';

const TRACE_USAGE = `maas-egress trace <dir|file> <METHOD> <path> [--user <id> --tier <tier>] [--group <g>]...
                  [--header 'Name: value']... [--body '<json>' | --body-file <f>]
                  [--gateway <namespace>/<name>] [--json]`;
const DIFF_USAGE = 'maas-egress diff <old-dir|file> <new-dir|file> [--json]';
const USAGE = `usage:
  ${VALIDATE_USAGE}
  ${TRACE_USAGE.replace(/\n/g, '\n  ')}
  ${DIFF_USAGE}
exit codes: validate 0 clean, 1 problems; trace 0 (forwarded or rejected alike); diff 0 unchanged, 1 changed; 2 usage or input error
maas-egress <command> --help says what the command does`;

const HELP: Record<string, string> = {
  validate: `usage: ${VALIDATE_USAGE}
Checks manifests as synth does: the pinned CRD schemas, duplicate objects, references between objects, and that
every provider route is authenticated and metered. Each folder with a kustomization.yaml is one app; other YAML files
are checked together. The MaaS default gateway counts as existing; --existing names other objects made elsewhere.
Exit 0 clean, 1 problems, 2 usage error.`,
  trace: `usage: ${TRACE_USAGE}
Follows one request through the manifests: routes on every gateway, the Kuadrant policies that apply, the key's source,
TLS and the upstream. --user/--tier stand for a MaaS token of that user and tier (--group on current MaaS). Exit 0.`,
  diff: `usage: ${DIFF_USAGE}
Compares what two outputs do: every provider, model and path of either is traced in both as every caller, and changes
in reachability, upstream, TLS, key sources and limits are listed. Exit 0 unchanged, 1 changed.`,
};

/** Output and exit code of one CLI run. */
export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

class UsageError extends Error {}

/** Loads a folder or file of manifests; problems reading it are errors (the trace must not guess). */
export function loadManifestSet(dir: string): ManifestSet {
  if (!fs.existsSync(dir)) throw new UsageError(`no such folder or file: ${dir}`);
  const folder = fs.statSync(dir).isFile() ? readManifestFiles([dir]) : readManifestFolder(dir);
  if (folder.problems.length > 0) throw new UsageError(folder.problems.join('\n'));
  if (folder.manifests.length === 0) throw new UsageError(`no Kubernetes objects in ${dir}`);
  return new ManifestSet(folder.manifests);
}

function parseTrace(args: string[]): { dir: string; options: TraceOptions; json: boolean } {
  const positional: string[] = [];
  const headers: Array<[string, string]> = [];
  const groups: string[] = [];
  let user: string | undefined;
  let tier: string | undefined;
  let body: Buffer | undefined;
  let gateway: { namespace: string; name: string } | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      if (i + 1 >= args.length) throw new UsageError(`${arg} needs a value`);
      return args[++i];
    };
    if (arg === '--json') json = true;
    else if (arg === '--user') user = value();
    else if (arg === '--tier') tier = value();
    else if (arg === '--group') groups.push(value());
    else if (arg === '--header') {
      const h = value();
      const colon = h.indexOf(':');
      if (colon <= 0) throw new UsageError(`--header takes 'Name: value', got "${h}"`);
      headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
    } else if (arg === '--body') {
      if (body !== undefined) throw new UsageError('give --body or --body-file once');
      body = Buffer.from(value(), 'utf8');
    } else if (arg === '--body-file') {
      if (body !== undefined) throw new UsageError('give --body or --body-file once');
      body = fs.readFileSync(value());
    } else if (arg === '--gateway') {
      const [namespace, name, extra] = value().split('/');
      if (!namespace || !name || extra !== undefined) throw new UsageError('--gateway takes <namespace>/<name>');
      gateway = { namespace, name };
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 3) throw new UsageError('trace needs <dir> <METHOD> <path>');
  const [dir, method, path] = positional;
  if (!path.startsWith('/')) throw new UsageError(`the path must start with "/", got "${path}"`);
  return { dir, json, options: { method: method.toUpperCase(), path, user, tier, groups, headers, body, gateway } };
}

/** Runs `maas-egress <args>` and returns what it prints and its exit code. */
export function runCli(args: readonly string[]): CliResult {
  const [command, ...rest] = args;
  try {
    if (HELP[command] !== undefined && (rest.includes('--help') || rest.includes('-h'))) return { stdout: `${HELP[command]}\n`, stderr: '', code: 0 };
    if (command === 'validate') return { ...runValidate(rest), stderr: '' };
    if (command === 'trace') {
      const { dir, options, json } = parseTrace(rest);
      const trace = traceRequest(loadManifestSet(dir), options);
      return { stdout: json ? `${JSON.stringify(trace, null, 2)}\n` : renderTrace(trace), stderr: '', code: 0 };
    }
    if (command === 'diff') {
      const json = rest.includes('--json');
      const dirs = rest.filter((a) => a !== '--json');
      const unknown = dirs.find((a) => a.startsWith('--'));
      if (unknown) throw new UsageError(`unknown option ${unknown}`);
      if (dirs.length !== 2) throw new UsageError('diff needs <old-dir> <new-dir>');
      const diff = diffOutputs(loadManifestSet(dirs[0]), loadManifestSet(dirs[1]));
      return { stdout: json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff), stderr: '', code: diff.changed ? 1 : 0 };
    }
    if (command === '--help' || command === '-h' || command === 'help') return { stdout: `${USAGE}\n`, stderr: '', code: 0 };
    throw new UsageError(command ? `unknown command ${command}` : 'name a command');
  } catch (error) {
    const message = (error as Error).message;
    const usage = error instanceof UsageError || error instanceof ValidateUsageError;
    return { stdout: '', stderr: `maas-egress: ${message}${usage ? `\n${USAGE}` : ''}\n`, code: 2 };
  }
}

/** Entry point of `bin/maas-egress.js`. */
export function main(args: readonly string[]): void {
  const result = runCli(args);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
