import { registerEnumType } from 'type-graphql';

/** What an identity may do. */
export enum Role {
  VIEWER = 'VIEWER',
  ANALYST = 'ANALYST',
  RELEASER = 'RELEASER',
  REPORTER = 'REPORTER',
  ADMIN = 'ADMIN',
}
export const ROLES = Object.values(Role);

/**
 * The roles each role includes. RELEASER and REPORTER both build on ANALYST, each with a power of its own (releasing
 * items, managing brief definitions); neither includes the other, and only ADMIN holds both.
 */
const INCLUDES: Record<Role, readonly Role[]> = {
  VIEWER: [Role.VIEWER],
  ANALYST: [Role.VIEWER, Role.ANALYST],
  RELEASER: [Role.VIEWER, Role.ANALYST, Role.RELEASER],
  REPORTER: [Role.VIEWER, Role.ANALYST, Role.REPORTER],
  ADMIN: ROLES,
};

registerEnumType(Role, {
  name: 'Role',
  description: 'What an identity may do: ANALYST includes VIEWER; RELEASER and REPORTER each include ANALYST; ADMIN includes them all.',
  valuesConfig: {
    VIEWER: { description: 'Read.' },
    ANALYST: { description: 'Read, and write: topics, actors, places, sources, statements and their citations; retract them; raise their markings.' },
    RELEASER: { description: "Also release items of one's own organisation: lower a marking or widen an audience, with a reason." },
    REPORTER: { description: "Also manage the brief definitions of one's own organisation (create, change, pause, resume, delete), not API keys." },
    ADMIN: { description: 'Everything: API keys, brief definitions, releases, merging actors, deleting statements for good, and what analysts do.' },
  },
});

export const hasRole = (held: Role | null, needed: Role) => held !== null && (INCLUDES[held]?.includes(needed) ?? false);
