import { Column, Index } from 'typeorm';

/**
 * The stored search vector of a table that grows with the statements: `search_english`, set from the row's text by a
 * trigger in the same write (the StoreSearchVectors migration), so never written, nor read, through the entity.
 */
export const searchVectorColumn = () => Column({ type: 'tsvector', name: 'search_english', nullable: true, select: false, insert: false, update: false });

/** Its GIN index (no pending list), built by the migration: left alone by schema synchronisation. */
export const searchVectorIndex = (table: string) => Index(`search_${table}_english`, { synchronize: false });
