import type { DataSource } from 'typeorm';
import type { Viewer } from '../../common/viewer';
import { visibleCondition } from '../../read/access';
import { BriefRun } from '../brief-run/brief-run.entity';
import { contentsVisibleTo } from '../brief-run/run-contents';

/** One run as `viewer` may read it (the run, its contents and its definition), or null: the rule of `briefRuns`. */
export const runVisibleTo = (dataSource: DataSource, viewer: Viewer, runId: string) =>
  dataSource.manager
    .createQueryBuilder(BriefRun, 'r')
    .leftJoinAndSelect('r.definition', 'd')
    .where('r.id = :runId', { runId })
    .andWhere(visibleCondition(viewer, 'r', 'brief_run'))
    .andWhere(contentsVisibleTo(viewer, 'r'))
    .andWhere(visibleCondition(viewer, 'd', 'brief_definition'))
    .getOne();
