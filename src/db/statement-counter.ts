import { AbstractLogger } from 'typeorm';

let statements = 0;

/** Counts every SQL statement sent through TypeORM; tests use it to prove batching. Prints nothing. */
export class StatementCounter extends AbstractLogger {
  logQuery(): void {
    statements += 1;
  }

  protected writeLog(): void {}
}

export const statementCount = () => statements;
