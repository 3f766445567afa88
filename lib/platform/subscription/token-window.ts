import type { IConstruct } from 'constructs';
import { checkDuration } from '../../internal/checks';
import { inputError } from '../../internal/errors';

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };
const MAX_AMOUNT = 9999;
/** Longest window maas-controller accepts: 366 days (`maassubscription_controller.go` `maxWindowSeconds`). */
const MAX_WINDOW_MS = 366 * 24 * 3_600_000;

/**
 * Converts a Kuadrant duration (`1m`, `1h30m`, ...) to a MaaSSubscription window
 * (`^[1-9]\d{0,3}(s|m|h)$`): one unit, the largest that divides it exactly.
 * Throws when the duration has milliseconds or exceeds 8784h (366 days): a
 * longer window makes maas-controller skip the whole subscription entry.
 */
export function toMaasWindow(scope: IConstruct, what: string, duration: string): string {
  checkDuration(scope, what, duration);
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/([0-9]+)(ms|h|m|s)/g)) total += Number(amount) * UNIT_MS[unit];
  if (total === 0) throw inputError(scope, what, duration, 'give a window longer than zero');
  if (total % 1000 !== 0) {
    throw inputError(scope, what, duration, 'MaaS subscription windows count whole seconds, minutes or hours; drop the milliseconds');
  }
  if (total > MAX_WINDOW_MS) {
    throw inputError(scope, what, duration, 'maas-controller skips a subscription whose window exceeds 366 days (8784h); give a window of at most "8784h"');
  }
  for (const unit of ['h', 'm', 's']) {
    const amount = total / UNIT_MS[unit];
    if (Number.isInteger(amount) && amount <= MAX_AMOUNT) return `${amount}${unit}`;
  }
  throw inputError(scope, what, duration, `a MaaS subscription window is at most ${MAX_AMOUNT} of one unit (s, m or h), e.g. "24h"`);
}
