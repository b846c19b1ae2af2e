import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Actor } from './actor.entity';

/**
 * Which actor holds each external identifier: kept from `actor.external_ids` by a trigger on every write, so that one
 * identifier names one actor whoever writes it (the API, an import, a merge). Its key refuses a second holder.
 */
@Entity()
export class ActorExternalId {
  @PrimaryColumn('text', { primaryKeyConstraintName: 'actor_external_id_taken' })
  scheme: string;

  @PrimaryColumn('text', { primaryKeyConstraintName: 'actor_external_id_taken' })
  value: string;

  @Index()
  @Column('uuid')
  actorId: string;

  @ManyToOne(() => Actor, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'actor_id' })
  actor: Actor;
}
