import type { DataSource } from 'typeorm';
import { atClearance, type Viewer } from '../../common/viewer';
import { SqlBuilder } from '../../read/sql';
import type { ScopeInput } from '../brief/brief.inputs';
import { readScopeDataByRow } from '../brief/brief.read';
import { selectionScopeOf } from '../brief/brief.scope';
import { refuseMissing } from '../brief/brief.service';
import { stixBundleOf, type StixBundle } from './stix-bundle';
import { readStixDetails } from './stix-read';

/**
 * The STIX 2.1 bundle of what `scope` covers, as `viewer` may see it at the scope's clearance: the statements a brief
 * of that scope would carry (the same reading, the same access rules), with their citations, sources, actors,
 * locations and topics. Bad input is BAD_USER_INPUT naming the field under `path`.
 */
export async function exportStixBundle(dataSource: DataSource, viewer: Viewer, input: ScopeInput, path = 'scope'): Promise<StixBundle> {
  const scope = selectionScopeOf(input, viewer, path, 'an export');
  const q = new SqlBuilder(atClearance(viewer, scope.clearance), 0);
  // Row by row: a large scope is never one JSON text of all its statements.
  const data = await readScopeDataByRow(dataSource, q, scope);
  refuseMissing(scope, data, path);
  return stixBundleOf(data, await readStixDetails(dataSource, q, data));
}
