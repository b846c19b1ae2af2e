import { logTo } from '../../src/common/logger';
import { logEntry, type LogEntry } from './service-process';

export interface CapturedLog {
  /** The entries logged since the capture began, parsed. */
  entries: LogEntry[];
  /** The lines as written (after the logger's scrubbing). */
  lines: string[];
  restore(): void;
}

/** Takes what the service logs in this process (in-process test servers) until `restore`. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const entries: LogEntry[] = [];
  const restore = logTo({
    write: (line: string) => {
      lines.push(line);
      const entry = logEntry(line.trimEnd());
      if (entry) entries.push(entry);
    },
  });
  return { entries, lines, restore };
}
