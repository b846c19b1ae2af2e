import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded';

/**
 * An embedded PostgreSQL cluster of the fault suite's own, that it can kill (SIGKILL to the postmaster and every
 * backend: a crash, recovered at the next start) and freeze (SIGSTOP to all of them: a server that accepts TCP
 * connections in the kernel but answers nothing).
 */
export class FaultyPostgres {
  private server: EmbeddedServer | undefined;

  constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly databases: string[],
  ) {}

  async start(): Promise<void> {
    // fsync stays on: the suite checks that acknowledged writes survive a crash.
    this.server = await startEmbeddedPostgres({ dir: this.dir, port: this.port, databases: this.databases });
  }

  /** The postmaster and its children (backends, checkpointer, WAL writer...). */
  processes(): number[] {
    const postmaster = Number(readFileSync(join(this.dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return [postmaster, ...childrenOf(postmaster)];
  }

  /** Kills every process of the cluster at once, as a crash would; start() brings it back through crash recovery. */
  kill(): void {
    for (const pid of this.processes()) signal(pid, 'SIGKILL');
    this.server = undefined; // its handle waits for an exit that has already happened
  }

  freeze(): number[] {
    const pids = this.processes();
    for (const pid of pids) signal(pid, 'SIGSTOP');
    return pids;
  }

  thaw(pids: number[]): void {
    for (const pid of pids) signal(pid, 'SIGCONT');
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}

function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ESRCH') throw error; // already gone
  }
}

function childrenOf(parent: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}
