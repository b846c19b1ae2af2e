import type { Viewer } from '../common/viewer';
import type { Reader } from '../read/reader';

/** What every resolver gets: who is asking, and a read path bound to them. Built fresh per request. */
export interface Context {
  viewer: Viewer;
  reader: Reader;
}
