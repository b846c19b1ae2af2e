import type { DataSource } from 'typeorm';
import { atClearance, type Viewer } from '../../common/viewer';
import { SqlBuilder } from '../../read/sql';
import type { ScopeInput } from '../brief/brief.inputs';
import { readScopeDataByRow, type BriefData } from '../brief/brief.read';
import { selectionScopeOf } from '../brief/brief.scope';
import { refuseMissing } from '../brief/brief.service';
import { stixBundleOf, stixBundlePartsOf, type StixBundle, type StixBundleParts } from './stix-bundle';
import { readStixDetails, type StixDetails } from './stix-read';

/**
 * The STIX 2.1 bundle of what `scope` covers, as `viewer` may see it at the scope's clearance: the statements a brief
 * of that scope would carry (the same reading, the same access rules), with their citations, sources, actors,
 * locations and topics. Bad input is BAD_USER_INPUT naming the field under `path`.
 */
export async function exportStixBundle(dataSource: DataSource, viewer: Viewer, input: ScopeInput, path = 'scope'): Promise<StixBundle> {
  return exportWith(dataSource, viewer, input, path, stixBundleOf);
}

/** The same bundle, its objects' texts not joined: for the streamed export (GET /stix/bundle, the CLI). */
export async function exportStixBundleParts(dataSource: DataSource, viewer: Viewer, input: ScopeInput, path = 'scope'): Promise<StixBundleParts> {
  return exportWith(dataSource, viewer, input, path, stixBundlePartsOf);
}

type Build<T> = (data: BriefData, details: StixDetails) => T;

async function exportWith<T>(dataSource: DataSource, viewer: Viewer, input: ScopeInput, path: string, build: Build<T>): Promise<T> {
  const scope = selectionScopeOf(input, viewer, path, 'an export');
  const q = new SqlBuilder(atClearance(viewer, scope.clearance), 0);
  // Row by row: a large scope is never one JSON text of all its statements.
  const data = await readScopeDataByRow(dataSource, q, scope);
  refuseMissing(scope, data, path);
  return build(data, await readStixDetails(dataSource, q, data));
}
