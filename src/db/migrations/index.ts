// Every migration, in order. Migrations are reviewed code: never edit one that has landed.
import { CreateIntelligenceSchema1795793014046 } from './1795793014046-CreateIntelligenceSchema';
import { CreateBriefSchedules1795797759488 } from './1795797759488-CreateBriefSchedules';
import { AddIdentitiesAndAudiences1795800187641 } from './1795800187641-AddIdentitiesAndAudiences';
import { AddBriefRunLease1795812000000 } from './1795812000000-AddBriefRunLease';
import { AddIdempotencyKeys1796172551503 } from './1796172551503-AddIdempotencyKeys';
import { AddReleases1796172568854 } from './1796172568854-AddReleases';
import { RecordDeletedItems1796174254517 } from './1796174254517-RecordDeletedItems';
import { BriefNamesPerMarking1796177680200 } from './1796177680200-BriefNamesPerMarking';
import { AddBusinessRuleChecks1796185871574 } from './1796185871574-AddBusinessRuleChecks';
import { RicherStatements1796198106304 } from './1796198106304-RicherStatements';
import { AddVersionsAndRetraction1796201647800 } from './1796201647800-AddVersionsAndRetraction';
import { OpenVocabularies1796210000000 } from './1796210000000-OpenVocabularies';
import { RecordChangeHistory1796220000000 } from './1796220000000-RecordChangeHistory';
import { RecordImportedItems1796230000000 } from './1796230000000-RecordImportedItems';
import { AddSearch1796240000000 } from './1796240000000-AddSearch';
import { DeleteCitationsFirst1796250000000 } from './1796250000000-DeleteCitationsFirst';
import { NotifyLiveUpdates1796260000000 } from './1796260000000-NotifyLiveUpdates';
import { RunRetentionAndReporter1796270000000 } from './1796270000000-RunRetentionAndReporter';
import { AddBriefDeliveries1796280000000 } from './1796280000000-AddBriefDeliveries';
import { AddSourceNameTrigram1796295000000 } from './1796295000000-AddSourceNameTrigram';
import { MaintainAggregateRollup1796300000000 } from './1796300000000-MaintainAggregateRollup';
import { SearchIndexesWithoutPendingList1796310000000 } from './1796310000000-SearchIndexesWithoutPendingList';
import { StoreSearchVectors1796320000000 } from './1796320000000-StoreSearchVectors';
import { HistoryLeavesOutSearchVectors1796321000000 } from './1796321000000-HistoryLeavesOutSearchVectors';
import { RefreshContributionsByCitedColumn1796330000000 } from './1796330000000-RefreshContributionsByCitedColumn';
import { IndexEventDateOrder1796360000000 } from './1796360000000-IndexEventDateOrder';
import { RefreshContributionsAtCommit1796420000000 } from './1796420000000-RefreshContributionsAtCommit';
import { RecordStixObjects1796440000000 } from './1796440000000-RecordStixObjects';
import { RecordRelays1796450000000 } from './1796450000000-RecordRelays';
import { IndexListOrderings1796460000000 } from './1796460000000-IndexListOrderings';
import { TrackDataVersion1796470000000 } from './1796470000000-TrackDataVersion';
import { RollupActorsAndPublishers1796475000000 } from './1796475000000-RollupActorsAndPublishers';
import { AddSearchEntries1796480000000 } from './1796480000000-AddSearchEntries';
import { VersionTablesAddedAlongside1796490000000 } from './1796490000000-VersionTablesAddedAlongside';
import { RecordCreationsPerStatement1796500000000 } from './1796500000000-RecordCreationsPerStatement';
import { DropStatementSearchIndexes1796501000000 } from './1796501000000-DropStatementSearchIndexes';
import { NoteDataWriteOncePerTransaction1796502000000 } from './1796502000000-NoteDataWriteOncePerTransaction';
import { KeepActorTotals1796510000000 } from './1796510000000-KeepActorTotals';
import { CountChangesByAccess1796520000000 } from './1796520000000-CountChangesByAccess';
import { HoldNamedRowsForKeyShare1796560000000 } from './1796560000000-HoldNamedRowsForKeyShare';
import { CountCreationsPerStatement1796570000000 } from './1796570000000-CountCreationsPerStatement';
import { HashAccessSetsOnce1796580000000 } from './1796580000000-HashAccessSetsOnce';

export const migrations = [
  CreateIntelligenceSchema1795793014046,
  CreateBriefSchedules1795797759488,
  AddIdentitiesAndAudiences1795800187641,
  AddBriefRunLease1795812000000,
  AddIdempotencyKeys1796172551503,
  AddReleases1796172568854,
  RecordDeletedItems1796174254517,
  BriefNamesPerMarking1796177680200,
  AddBusinessRuleChecks1796185871574,
  RicherStatements1796198106304,
  AddVersionsAndRetraction1796201647800,
  OpenVocabularies1796210000000,
  RecordChangeHistory1796220000000,
  RecordImportedItems1796230000000,
  AddSearch1796240000000,
  DeleteCitationsFirst1796250000000,
  NotifyLiveUpdates1796260000000,
  RunRetentionAndReporter1796270000000,
  AddBriefDeliveries1796280000000,
  AddSourceNameTrigram1796295000000,
  MaintainAggregateRollup1796300000000,
  SearchIndexesWithoutPendingList1796310000000,
  StoreSearchVectors1796320000000,
  HistoryLeavesOutSearchVectors1796321000000,
  RefreshContributionsByCitedColumn1796330000000,
  IndexEventDateOrder1796360000000,
  RefreshContributionsAtCommit1796420000000,
  RecordStixObjects1796440000000,
  RecordRelays1796450000000,
  IndexListOrderings1796460000000,
  TrackDataVersion1796470000000,
  RollupActorsAndPublishers1796475000000,
  AddSearchEntries1796480000000,
  VersionTablesAddedAlongside1796490000000,
  RecordCreationsPerStatement1796500000000,
  DropStatementSearchIndexes1796501000000,
  NoteDataWriteOncePerTransaction1796502000000,
  KeepActorTotals1796510000000,
  CountChangesByAccess1796520000000,
  HoldNamedRowsForKeyShare1796560000000,
  CountCreationsPerStatement1796570000000,
  HashAccessSetsOnce1796580000000,
];
