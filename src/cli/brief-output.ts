// Phrases only: the command line loads no GraphQL types.
import { dateAt, esc } from '../modules/brief/brief.phrases';

/** Every field of a brief, for `--format json`: the typed sections as well as the renderings. */
const STATEMENT = `id kind text marking category quantity { low best high unit asStated exact } quantityText
  sources { number reliability credibility verb url page paragraph accessedOn } independentSources corroborated relayedBy originalSource`;
const JUDGMENT = `statement { ${STATEMENT} } likelihood confidence scope horizon asOf judgment confidenceStatement affectedActors`;
export const BRIEF_JSON_FIELDS = `title marking clearance scope sections
  bottomLine { ${JUDGMENT} }
  actors { id name kind description capabilities { ${STATEMENT} } challenges { ${STATEMENT} } relations { ${STATEMENT} }
    capabilityCount challengeCount relationCount }
  mentionedActors { id name kind description }
  implications { ${JUDGMENT} }
  timeline { statement { ${STATEMENT} } occurredOn precision occurredFrom occurredTo when description location locationDescription actors }
  sources { number id title kind publisher publishedOn reliability url description marking }
  gaps { statement { ${STATEMENT} } reasons explanation }
  gapCounts { reason count } sectionSizes { section shown total }
  statementCount latestSourceDate markdown html contentHash`;

interface DeltaItemJson {
  id: string;
  kind: string;
  text: string;
  changes: string[];
}

export interface DeltaJson {
  baseline: 'RUN' | 'TIMESTAMPS';
  since: string;
  added: DeltaItemJson[];
  removed: DeltaItemJson[];
  changed: DeltaItemJson[];
  unchanged: number;
}

/** "What changed since ..." as a Markdown section to follow the brief. */
export function renderDeltaMarkdown(delta: DeltaJson): string {
  const lines = [`## Changes since ${dateAt(delta.since.slice(0, 10))}`, ''];
  lines.push(
    delta.baseline === 'RUN'
      ? 'Compared with the stored run of this brief from that time.'
      : 'No stored run of this brief from that time: changes are judged from when statements were last edited, and removals cannot be shown.',
    '',
  );
  const list = (label: string, items: DeltaItemJson[], withChanges = false) => {
    lines.push(`${label}: ${items.length}`, '');
    for (const i of items) lines.push(`- ${esc(i.text)}${withChanges ? ` (${i.changes.join(', ')})` : ''}`);
    if (items.length) lines.push('');
  };
  list('Added', delta.added);
  list('Removed', delta.removed);
  list('Changed', delta.changed, true);
  lines.push(`Unchanged: ${delta.unchanged}`, '');
  return lines.join('\n');
}
