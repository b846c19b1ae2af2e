import { isDatabaseUnavailable } from './db/unavailable';

/**
 * The last line of defence: a rejection nobody handled is logged and the service keeps serving (nothing was left
 * half-done by it). An uncaught exception is logged too; the service keeps serving when it is the database going
 * away, and otherwise exits for its supervisor (docker's restart policy) to start it afresh, since the state it
 * leaves behind is unknown.
 */
export function installProcessGuard(log: (...args: unknown[]) => void = console.error): void {
  process.on('unhandledRejection', (reason) => {
    log('unhandled rejection (the service keeps running):', reason);
  });
  process.on('uncaughtException', (error) => {
    if (isDatabaseUnavailable(error)) {
      log('uncaught database error (the service keeps running):', error);
      return;
    }
    log('uncaught exception: exiting', error);
    process.exit(1);
  });
}
