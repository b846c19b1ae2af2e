import { Cron } from 'croner';
import { badUserInput } from '../../common/errors';

/** Most missed occurrences one catch-up records; older ones are not recorded one by one. */
const MAX_CATCH_UP = 1000;

const NICKNAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);

const cronOf = (cron: string, timeZone: string) => new Cron(cron, { timezone: timeZone, paused: true, mode: '5-part' });

/**
 * Checks a schedule: a standard 5-field cron expression (minute resolution, so a tick every few seconds never falls
 * behind) or a nickname such as @daily, in an IANA time zone. Errors are BAD_USER_INPUT naming the field.
 */
export function checkSchedule(cron: string, timeZone: string, path = 'input'): void {
  try {
    if (!timeZone.trim()) throw new RangeError('empty');
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw badUserInput(`${path}.timeZone`, `"${timeZone}" is not an IANA time zone (e.g. "Europe/London")`);
  }
  const fields = cron.trim().split(/\s+/);
  if (!(fields.length === 5 || (fields.length === 1 && NICKNAMES.has(fields[0])))) {
    throw badUserInput(`${path}.cron`, `"${cron}" is not a cron expression: give 5 fields (minute hour day month weekday) or @daily, @weekly ...`);
  }
  let next: Date | null;
  try {
    next = cronOf(cron, timeZone).nextRun();
  } catch (error) {
    throw badUserInput(`${path}.cron`, `"${cron}" is not a cron expression: ${(error as Error).message}`);
  }
  if (!next) throw badUserInput(`${path}.cron`, `"${cron}" never falls due`);
}

/** The first occurrence strictly after `after`. */
export const nextOccurrence = (cron: string, timeZone: string, after: Date) => cronOf(cron, timeZone).nextRun(after);

/** Occurrences in [from, to], oldest first: at most MAX_CATCH_UP, the most recent ones. */
export function occurrencesBetween(cron: string, timeZone: string, from: Date, to: Date): Date[] {
  const schedule = cronOf(cron, timeZone);
  // Usually a few: step forward from `from`. Only after a long outage, count back from `to` instead.
  const found: Date[] = [];
  for (let at = schedule.nextRun(new Date(from.getTime() - 1)); at && at.getTime() <= to.getTime(); at = schedule.nextRun(at)) {
    found.push(at);
    if (found.length > MAX_CATCH_UP) {
      return schedule
        .previousRuns(MAX_CATCH_UP, new Date(to.getTime() + 1))
        .filter((d) => d.getTime() >= from.getTime())
        .reverse();
    }
  }
  return found;
}
