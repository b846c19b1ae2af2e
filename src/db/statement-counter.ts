import { AbstractLogger } from 'typeorm';

let statements = 0;
let last: { query: string; parameters: unknown[] } | undefined;

/** Counts every SQL statement sent through TypeORM; tests use it to prove batching, benchmarks to show it. Prints nothing. */
export class StatementCounter extends AbstractLogger {
  logQuery(query: string, parameters?: unknown[]): void {
    statements += 1;
    last = { query, parameters: parameters ?? [] };
  }

  protected writeLog(): void {}
}

export const statementCount = () => statements;
/** The last statement sent, with its parameters. */
export const lastStatement = () => last;
