import { logger } from './common/logger';
import { isDatabaseUnavailable } from './db/unavailable';

/**
 * The last line of defence: a rejection nobody handled is logged and the service keeps serving (nothing was left
 * half-done by it). An uncaught exception is logged too; the service keeps serving when it is the database going
 * away, and otherwise exits for its supervisor (docker's restart policy) to start it afresh, since the state it
 * leaves behind is unknown.
 */
export function installProcessGuard(): void {
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled rejection (the service keeps running)');
  });
  process.on('uncaughtException', (error) => {
    if (isDatabaseUnavailable(error)) {
      logger.error({ err: error }, 'uncaught database error (the service keeps running)');
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception: exiting');
    process.exit(1);
  });
}
