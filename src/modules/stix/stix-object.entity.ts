import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A STIX object an import took in: the item it became, and the `modified` seen, so that the same object again changes
 * nothing, a newer `modified` updates the item, and `revoked` retracts it. Per document, as the items are.
 */
@Entity()
export class StixObject {
  @PrimaryColumn('text')
  document: string;

  @PrimaryColumn('text')
  stixId: string;

  @Index()
  @Column('uuid')
  itemId: string;

  @Column('text')
  itemTable: string;

  @Column('timestamptz')
  modified: Date;

  /** Who imported it. */
  @Column('text')
  principal: string;

  /** Its STIX `confidence` (0-100) as given: mapped to a Dossier scale only where STIX 2.1 Appendix A defines how. */
  @Column('int', { nullable: true })
  confidence: number | null;

  /** OpenCTI's `x_opencti_reliability` as given, for a source. */
  @Column('text', { nullable: true })
  reliability: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  importedAt: Date;
}
