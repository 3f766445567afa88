import type { IConstruct } from 'constructs';

/**
 * Builds the library's error for bad input: the construct path, the value that
 * was given and how to fix it, so a failing synth points at the line to change.
 */
export function inputError(scope: IConstruct, what: string, value: unknown, fix: string): Error {
  return new Error(`[${scope.node.path}] invalid ${what} ${JSON.stringify(value)}: ${fix}`);
}
