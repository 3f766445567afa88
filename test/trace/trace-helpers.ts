import * as path from 'path';
import { loadManifestSet } from '../../lib/cli/cli';
import { ManifestSet } from '../../lib/trace/manifest-set';
import { traceRequest, TraceOptions } from '../../lib/trace/tracer';
import { TraceResult } from '../../lib/trace/trace-result';
import { REPO_DIR } from '../helpers';

/** The manifests of dist/<app>, read the way the CLI reads them. */
export function distSet(app: string): ManifestSet {
  return loadManifestSet(path.join(REPO_DIR, 'dist', app));
}

/** Traces a request; `caller` stands for a valid token of that user and tier. */
export function trace(set: ManifestSet, method: string, requestPath: string, extra: Partial<TraceOptions> & { bodyText?: string } = {}): TraceResult {
  const { bodyText, ...rest } = extra;
  return traceRequest(set, { method, path: requestPath, ...rest, ...(bodyText !== undefined && { body: Buffer.from(bodyText, 'utf8') }) });
}

/** Every CEL string literal of the AuthPolicy success headers in a set: the demo keys and prefixes. */
export function headerLiterals(set: ManifestSet): string[] {
  return set.all('kuadrant.io', 'AuthPolicy').flatMap((p) => Object.values<any>(p.spec?.rules?.response?.success?.headers ?? {}))
    .flatMap((h) => [...String(h.plain?.expression ?? '').matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]))
    .filter((literal) => literal.trim() !== 'Bearer');
}
