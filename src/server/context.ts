import type { DataSource } from 'typeorm';
import type { Viewer } from '../common/viewer';
import type { LiveHub } from '../modules/live/live-hub';
import type { LiveSession } from '../modules/live/live-session';
import type { Reader } from '../read/reader';
import type { DeliverySettings } from '../modules/delivery/delivery.settings';
import type { LargeAnswers } from './large-answers/large-answers';

/** What every resolver gets: who is asking, and a read path bound to them. Built fresh per request. */
export interface Context {
  viewer: Viewer;
  reader: Reader;
  /** For services that read or write outside the compiled read path (briefs, definitions). */
  dataSource: DataSource;
  /** The `Idempotency-Key` header, as sent: a retried mutation is answered once (see modules/idempotency). */
  idempotencyKey?: string;
  /** Over WebSocket: the hub that delivers subscriptions, and the connection's session. */
  live?: { hub: LiveHub; session: LiveSession };
  /** How briefs leave the service: checked when a delivery is configured. */
  delivery: DeliverySettings;
  /** Over HTTP: where a field may keep a large string value aside, answering a placeholder (see large-answers). */
  largeAnswers?: LargeAnswers;
}
