import { Marking } from './marking';

/** Who is reading. For now every request reads with the configured clearance; identities come later. */
export interface Viewer {
  clearance: Marking;
}
