import type { IConstruct } from 'constructs';
import { inputError } from '../../internal/errors';

/**
 * Kuadrant releases whose behaviour the tier-based platform's output was
 * checked against, newest first. 1.4.2 is the first whose wasm-shim (0.12.1)
 * replaces a request header that an AuthPolicy sets instead of adding a second
 * one beside it (Kuadrant/wasm-shim commit af24bb6).
 */
export const SUPPORTED_KUADRANT_VERSIONS = ['1.5', '1.4'] as const;
/** The Kuadrant version assumed when the platform names none: the newest supported. */
export const DEFAULT_KUADRANT_VERSION = '1.5.2';

/** OpenShift releases and the Istio each ships (openshift/cluster-ingress-operator cmd/ingress-operator/start.go). */
export const OPENSHIFT_ISTIO: Readonly<Record<string, string>> = {
  '4.19': '1.24.4 (1.26.2 from the 2025-08 z-streams)',
  '4.20': '1.26.8',
  '4.21': '1.27.8',
};
/** The OpenShift release assumed when the platform names none. */
export const DEFAULT_OPENSHIFT_VERSION = '4.20';

function parse(version: string): number[] | undefined {
  const match = typeof version === 'string' ? /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version.trim()) : null;
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

/**
 * Checks a Kuadrant version (`1.5`, `1.5.2`, `v1.4.3`) and returns it: refused
 * with the reason when the library's output would fail open on it.
 */
export function checkKuadrantVersion(scope: IConstruct, version: string): string {
  const parts = parse(version);
  if (!parts) throw inputError(scope, 'Kuadrant version', version, 'give a release such as "1.5.2" or "1.4.3"');
  const [major, minor, patch] = parts;
  const name = `${major}.${minor}.${patch}`;
  if (major !== 1 || minor < 3) {
    if (major === 1) {
      throw inputError(scope, 'Kuadrant version', version,
        `Kuadrant ${name} has no TokenRateLimitPolicy (it arrived in 1.3), so no token budget could be enforced; upgrade to Kuadrant 1.4.2 or later`);
    }
    throw inputError(scope, 'Kuadrant version', version, `the library supports Kuadrant ${SUPPORTED_KUADRANT_VERSIONS.join(' and ')} (1.4.2 or later)`);
  }
  if (minor < 4 || (minor === 4 && patch < 2)) {
    throw inputError(scope, 'Kuadrant version', version,
      `Kuadrant ${name} (wasm-shim 0.12.0 or older) appends the provider key that an AuthPolicy sets beside the client's MaaS token, `
      + 'so the provider receives two Authorization headers, answers 401 and sees the user\'s token; upgrade to Kuadrant 1.4.2 or later');
  }
  if (minor > 5) {
    throw inputError(scope, 'Kuadrant version', version,
      `Kuadrant ${name} is newer than the releases this library was checked against (${SUPPORTED_KUADRANT_VERSIONS.join(', ')}); `
      + 'name the newest supported release your cluster behaves like, or upgrade the library');
  }
  return name;
}

/** Checks an OpenShift release (`4.19`, `4.20`, `4.21`) and returns it. */
export function checkOpenShiftVersion(scope: IConstruct, version: string): string {
  const parts = parse(version);
  const name = parts ? `${parts[0]}.${parts[1]}` : undefined;
  if (!name || OPENSHIFT_ISTIO[name] === undefined) {
    throw inputError(scope, 'OpenShift version', version,
      `the library was checked against the Istio of OpenShift ${Object.keys(OPENSHIFT_ISTIO).join(', ')}; name one of them`);
  }
  return name;
}

/** The component versions whose behaviour the library knows. Static members only. */
export class SupportedVersions {
  /** Kuadrant release lines the tier-based platform emits for, newest first (1.4 from 1.4.2). */
  public static readonly KUADRANT: string[] = [...SUPPORTED_KUADRANT_VERSIONS];
  /** The Kuadrant version assumed when the platform names none. */
  public static readonly DEFAULT_KUADRANT = DEFAULT_KUADRANT_VERSION;
  /** OpenShift releases the library emits for, and the Istio each ships. */
  public static readonly OPENSHIFT_ISTIO: Record<string, string> = { ...OPENSHIFT_ISTIO };
  /** The OpenShift release assumed when the platform names none. */
  public static readonly DEFAULT_OPENSHIFT = DEFAULT_OPENSHIFT_VERSION;

  private constructor() {}
}
