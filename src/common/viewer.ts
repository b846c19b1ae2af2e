import { Marking } from './marking';
import type { Role } from '../modules/identity/role';

/**
 * Who is reading: the identity behind the request. Its clearance, organisation and principal decide what it may see
 * (see read/access.ts); its role what it may do.
 */
export interface Viewer {
  /** Stable name of the identity; a RED item's audience lists these. Null when anonymous. */
  principal: string | null;
  organisation: string | null;
  role: Role | null;
  clearance: Marking;
}

/** A request without credentials, when anonymous reading is on: read-only, at TLP:CLEAR. */
export const ANONYMOUS: Viewer = { principal: null, organisation: null, role: null, clearance: Marking.CLEAR };

/** The same identity reading at a lower clearance (a brief composed for a less cleared reader). */
export const atClearance = (viewer: Viewer, clearance: Marking): Viewer => ({ ...viewer, clearance });
