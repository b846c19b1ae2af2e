import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A mutation field that ran under an `Idempotency-Key`: a retry with the same key answers from `outcome` instead of
 * writing again. Keyed by the writer, so two identities never share a key.
 */
@Entity()
@Index('idempotency_key_expiry', ['createdAt'])
export class IdempotencyKey {
  @PrimaryColumn('text')
  principal: string;

  @PrimaryColumn('text')
  key: string;

  /** The field's response key (its alias, if any): one operation may run several mutations under one key. */
  @PrimaryColumn('text')
  field: string;

  /** SHA-256 of the field's name and arguments: the same key with other arguments is refused. */
  @Column('text')
  requestHash: string;

  /** What the write returned (an id, say); null until the write is done, in the same transaction. */
  @Column('jsonb', { nullable: true })
  outcome: unknown;

  @Column('timestamptz', { default: () => 'now()' })
  createdAt: Date;
}
