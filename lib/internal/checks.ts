import type { IConstruct } from 'constructs';
import { inputError } from './errors';

// Each check throws inputError(...) naming the construct, the value and the fix.

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const KUADRANT_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;

const RELATIVE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** True when `value` is a relative path of letters, digits and "._-" segments, such as a Vault KV path or mount. */
export function isRelativePath(value: string): boolean {
  return typeof value === 'string' && RELATIVE_PATH.test(value);
}

export function isDnsLabel(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS_LABEL.test(value);
}

/** True when `value` is an HTTP field name (an RFC 9110 token). */
export function isHeaderName(value: string): boolean {
  return typeof value === 'string' && HTTP_TOKEN.test(value);
}

export function checkDnsLabel(scope: IConstruct, what: string, value: string): string {
  if (!isDnsLabel(value)) {
    throw inputError(scope, what, value,
      'use a DNS-1123 label: at most 63 characters, lower-case letters, digits and "-", starting and ending with a letter or digit');
  }
  return value;
}

export function checkDnsSubdomain(scope: IConstruct, what: string, value: string): string {
  if (typeof value !== 'string' || value.length > 253 || !value.split('.').every(isDnsLabel)) {
    throw inputError(scope, what, value, 'use a DNS-1123 subdomain: lower-case labels of letters, digits and "-", joined by "."');
  }
  return value;
}

export function checkNamespace(scope: IConstruct, what: string, value: string): string {
  return checkDnsLabel(scope, what, value);
}

export function checkHostname(scope: IConstruct, what: string, value: string): string {
  const fix = (why: string) => inputError(scope, what, value,
    `${why}; give a bare DNS name such as "api.openai.com" (no scheme, path, port, upper case or spaces)`);
  if (typeof value !== 'string' || value.length === 0) throw fix('it is empty');
  if (/\s/.test(value)) throw fix('it contains white space');
  if (value.includes('://')) throw fix('it contains a URL scheme');
  if (value.includes('/')) throw fix('it contains a path');
  if (value.includes(':')) throw fix('it contains a port (set the port separately)');
  if (value !== value.toLowerCase()) throw fix('it contains upper-case letters');
  if (value.length > 253 || !value.split('.').every(isDnsLabel)) throw fix('it is not a valid DNS name');
  return value;
}

export function checkPort(scope: IConstruct, what: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw inputError(scope, what, value, 'use a whole number from 1 to 65535');
  }
  return value;
}

export function checkSlashedPath(scope: IConstruct, what: string, value: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || !value.endsWith('/') || /\s|\/\//.test(value)) {
    throw inputError(scope, what, value, 'use a path that starts and ends with "/" (for example "/external/"), without spaces or "//"');
  }
  return value;
}

export function checkHeaderName(scope: IConstruct, what: string, value: string): string {
  if (!isHeaderName(value)) {
    throw inputError(scope, what, value, 'use an HTTP header name (RFC 9110 token: letters, digits and !#$%&\'*+-.^_`|~), such as "Authorization"');
  }
  return value;
}

export function checkPositiveInteger(scope: IConstruct, what: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw inputError(scope, what, value, 'use a positive whole number');
  }
  return value;
}

/** A Gateway API duration (the same grammar as Kuadrant's); `0s` turns a timeout off. */
export function checkGatewayApiDuration(scope: IConstruct, what: string, value: string): string {
  if (typeof value !== 'string' || !KUADRANT_DURATION.test(value)) {
    throw inputError(scope, what, value, 'use a Gateway API duration such as "300s", "10m" or "1h" ("0s" for no timeout, ExternalProvider.NO_TIMEOUT)');
  }
  return value;
}

export function checkDuration(scope: IConstruct, what: string, value: string): string {
  if (typeof value !== 'string' || !KUADRANT_DURATION.test(value)) {
    throw inputError(scope, what, value, 'use a Kuadrant duration such as "30s", "1m", "2h" or "1h30m"');
  }
  return value;
}

export function checkNonEmpty<T>(scope: IConstruct, what: string, value: readonly T[] | undefined): readonly T[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw inputError(scope, what, value ?? [], 'give a list with at least one entry');
  }
  return value;
}

/** Throws when two entries of `values` are equal; `what` names one entry. */
export function checkUnique(scope: IConstruct, what: string, values: readonly string[]): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw inputError(scope, what, value, 'each entry may appear only once');
    seen.add(value);
  }
}

/** Rejects images that float: no tag, `latest`, or a `-latest` tag. */
export function checkPinnedImage(scope: IConstruct, what: string, image: string): string {
  const digest = image.includes('@sha256:');
  const tag = image.slice(image.lastIndexOf('/') + 1).split(':')[1];
  if (!digest && (!tag || tag === 'latest' || tag.endsWith('-latest'))) {
    throw inputError(scope, what, image, 'pin the image by a fixed tag (e.g. ":v1.37.0") or a digest ("@sha256:...")');
  }
  return image;
}
