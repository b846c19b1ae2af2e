import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Which document wrote an item, and the version it left the item at: an item whose version moved on since was
 * changed by someone else, and the document leaves it alone from then on.
 */
@Entity()
export class ImportedItem {
  @PrimaryColumn('uuid')
  itemId: string;

  @Column('text')
  itemTable: string;

  /** "<owner>/<name>": the seed's files are "seed/<file>"; an organisation's (or principal's) documents "<owner>/<name>". */
  @Index()
  @Column('text')
  document: string;

  @Column('int')
  version: number;

  /** The actors the document linked the item to (topics, judgments, events), so that it removes only its own links. */
  @Column('jsonb', { nullable: true })
  links: string[] | null;

  @Column('timestamptz', { default: () => 'now()' })
  importedAt: Date;
}
