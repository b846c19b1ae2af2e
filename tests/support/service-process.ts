import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { NODE_TS } from './node-ts';

const ROOT = join(__dirname, '..', '..');

/** The real service (`npm start`'s command) as a child process, with what it prints kept line by line. */
export interface ServiceProcess {
  child: ChildProcess;
  /** Every line of stdout and stderr so far, in order. */
  lines: string[];
  /** The lines of stderr alone. */
  stderr: string[];
  /** The service's log entries (its JSON lines on stdout), parsed, in order. */
  entries: LogEntry[];
  /** What it said, in order: each log entry's `msg`, and any other line as it is. */
  messages: string[];
  /** What it said of problems: the `msg` of entries at warn level or above, and any line on stderr. */
  problems: string[];
  /** Resolves with the first message matching, or rejects when the process ends or the time is up. */
  waitFor(pattern: RegExp, withinMs: number): Promise<string>;
  /** Resolves with the exit code once the process has ended (null: killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM (a graceful stop), then SIGKILL if it is still there after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface LogEntry {
  level: string;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

const PROBLEM_LEVELS = new Set(['warn', 'error', 'fatal']);

/** A log line of the service as an entry, or undefined for any other line. */
export function logEntry(line: string): LogEntry | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const entry = JSON.parse(line) as LogEntry;
    return typeof entry.msg === 'string' && typeof entry.level === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

export function startService(env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [...NODE_TS, 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const entries: LogEntry[] = [];
  const messages: string[] = [];
  const problems: string[] = [];
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    const take = (parts: string[]) => {
      lines.push(...parts);
      if (stream === child.stderr) stderr.push(...parts);
      for (const part of parts) {
        const entry = stream === child.stdout ? logEntry(part) : undefined;
        if (entry) entries.push(entry);
        messages.push(entry ? entry.msg : part);
        if (entry ? PROBLEM_LEVELS.has(entry.level) : stream === child.stderr) problems.push(entry ? entry.msg : part);
      }
      for (const listener of listeners) listener();
    };
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      take(parts);
    });
    // A last line without a newline counts too.
    stream.on('end', () => partial && take([partial]));
  }
  // 'close', not 'exit': by then everything the process printed has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const listener of listeners) listener();
  });
  const waitFor = (pattern: RegExp, withinMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no message matching ${pattern} within ${withinMs} ms; output:\n${lines.join('\n')}`)), withinMs);
      const check = () => {
        const line = messages.find((l) => pattern.test(l));
        if (line !== undefined) finish(undefined, line);
        else if (ended) finish(new Error(`the service ended before printing ${pattern}; output:\n${lines.join('\n')}`));
      };
      const finish = (error?: Error, line?: string) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve(line!);
      };
      listeners.add(check);
      check();
    });
  const stop = async (graceMs = 10_000) => {
    if (ended) return exited;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(killer);
    return code;
  };
  return { child, lines, stderr, entries, messages, problems, waitFor, exited, stop };
}
