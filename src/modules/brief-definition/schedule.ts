import { Cron } from 'croner';
import { badUserInput } from '../../common/errors';

/** Most occurrences one catch-up looks at; older missed ones beyond it are not recorded one by one. */
export const MAX_CATCH_UP = 1000;

const cronOf = (cron: string, timeZone: string) => new Cron(cron, { timezone: timeZone, paused: true });

/** Checks a schedule; errors are BAD_USER_INPUT naming `input.cron` or `input.timeZone`. */
export function checkSchedule(cron: string, timeZone: string, path = 'input'): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw badUserInput(`${path}.timeZone`, `"${timeZone}" is not an IANA time zone (e.g. "Europe/London")`);
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

/** Occurrences in [from, to], oldest first, at most MAX_CATCH_UP (the most recent ones). */
export function occurrencesBetween(cron: string, timeZone: string, from: Date, to: Date): Date[] {
  const schedule = cronOf(cron, timeZone);
  const found: Date[] = [];
  let next = schedule.nextRun(new Date(from.getTime() - 1));
  while (next && next.getTime() <= to.getTime()) {
    found.push(next);
    if (found.length > MAX_CATCH_UP) found.shift();
    next = schedule.nextRun(next);
  }
  return found;
}
