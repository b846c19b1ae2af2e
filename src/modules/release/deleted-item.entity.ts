import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { Marking, MARKINGS } from '../../common/marking';

/**
 * Who could read an item when it was deleted, written by a trigger on every item table. Stored brief runs keep copies
 * of what they showed: a copy of a deleted item stays hidden from those its last marking excluded.
 */
@Entity()
export class DeletedItem {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  itemTable: string;

  @Column({ type: 'enum', enum: MARKINGS, enumName: 'tlp_marking' })
  marking: Marking;

  @Column('text', { nullable: true })
  organisation: string | null;

  @Column('text', { array: true })
  audience: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  deletedAt: Date;
}
