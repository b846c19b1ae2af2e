import { registerEnumType } from 'type-graphql';

/** What an identity may do. Each role includes the ones before it. */
export enum Role {
  VIEWER = 'VIEWER',
  ANALYST = 'ANALYST',
  RELEASER = 'RELEASER',
  ADMIN = 'ADMIN',
}
export const ROLES = Object.values(Role);

registerEnumType(Role, {
  name: 'Role',
  description: 'What an identity may do; each role includes the ones before it.',
  valuesConfig: {
    VIEWER: { description: 'Read.' },
    ANALYST: { description: 'Read, and write: topics, actors, places, sources, statements and their citations; retract them; raise their markings.' },
    RELEASER: { description: "Also release items of one's own organisation: lower a marking or widen an audience, with a reason." },
    ADMIN: { description: 'Everything: API keys, brief definitions, releases, merging actors, deleting statements for good, and what analysts do.' },
  },
});

export const hasRole = (held: Role | null, needed: Role) => held !== null && ROLES.indexOf(held) >= ROLES.indexOf(needed);
