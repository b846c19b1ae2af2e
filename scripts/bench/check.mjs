// Do the targets return the same rows? Fetches the brief of one topic from each target given, maps each answer to
// one canonical shape (ids as uuids, every list sorted by id: PostGraphile v5 cannot order by category/name/...),
// prints counts and compares field by field. Exits 1 on any difference.
//   node check.mjs <slug> dossier=http://127.0.0.1:4101/graphql postgraphile=http://127.0.0.1:4102/graphql floor=http://127.0.0.1:4103/
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

const [slug, ...targets] = process.argv.slice(2);
const doc = (f) => readFileSync(new URL(f, import.meta.url), 'utf8');
const QUERY = {
  dossier: doc('queries/dossier-brief.graphql'),
  floor: doc('queries/dossier-brief.graphql'),
  postgraphile: doc('queries/postgraphile-brief.graphql'),
};

const uuid = (globalId) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1];
const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const sorted = (list) => [...list].sort(byId);

// Dossier shape (Dossier and the floor)
const dCit = (c) => ({
  id: uuid(c.id),
  verb: c.verb,
  quote: c.quote,
  credibility: c.credibility,
  source: { id: uuid(c.source.id), name: c.source.name, reliability: c.source.reliability },
});
const dStmt = (s, extra) => ({ id: uuid(s.id), ...extra(s), citations: sorted(s.citations.map(dCit)) });
const fromDossier = (t) => ({
  id: uuid(t.id),
  slug: t.slug,
  title: t.title,
  summary: t.summary,
  actors: sorted(
    t.actors.nodes.map((a) => ({
      id: uuid(a.id),
      name: a.name,
      kind: a.kind,
      capabilities: sorted(a.capabilities.nodes.map((s) => dStmt(s, (x) => ({ category: x.category, statement: x.statement })))),
      challenges: sorted(a.challenges.nodes.map((s) => dStmt(s, (x) => ({ category: x.category, statement: x.statement })))),
    })),
  ),
  implications: sorted(t.implications.nodes.map((s) => dStmt(s, (x) => ({ statement: x.statement, likelihood: x.likelihood, confidence: x.confidence })))),
  events: sorted(t.events.nodes.map((s) => dStmt(s, (x) => ({ title: x.title, occurredOn: x.occurredOn, precision: x.precision })))),
});

// PostGraphile shape
const pCit = (c) => ({
  id: c.rowId,
  verb: c.verb,
  quote: c.quote,
  credibility: c.credibility,
  source: { id: c.sourceBySourceId.rowId, name: c.sourceBySourceId.name, reliability: c.sourceBySourceId.reliability },
});
const pStmt = (s, cits, extra) => ({ id: s.rowId, ...extra(s), citations: sorted(s[cits].nodes.map(pCit)) });
const fromPostgraphile = (t) => ({
  id: t.rowId,
  slug: t.slug,
  title: t.title,
  summary: t.summary,
  actors: sorted(
    t.topicActorsByTopicId.nodes.map(({ actorByActorId: a }) => ({
      id: a.rowId,
      name: a.name,
      kind: a.kind,
      capabilities: sorted(
        a.capabilitiesByActorId.nodes.map((s) => pStmt(s, 'citationsByCapabilityId', (x) => ({ category: x.category, statement: x.statement }))),
      ),
      challenges: sorted(a.challengesByActorId.nodes.map((s) => pStmt(s, 'citationsByChallengeId', (x) => ({ category: x.category, statement: x.statement })))),
    })),
  ),
  implications: sorted(
    t.implicationsByTopicId.nodes.map((s) =>
      pStmt(s, 'citationsByImplicationId', (x) => ({ statement: x.statement, likelihood: x.likelihood, confidence: x.confidence })),
    ),
  ),
  events: sorted(
    t.eventsByTopicId.nodes.map((s) => pStmt(s, 'citationsByEventId', (x) => ({ title: x.title, occurredOn: x.occurredOn, precision: x.precision }))),
  ),
});

const counts = (b) => {
  const stmts = [...b.actors.flatMap((a) => [...a.capabilities, ...a.challenges]), ...b.implications, ...b.events];
  const cits = stmts.flatMap((s) => s.citations);
  return {
    actors: b.actors.length,
    capabilities: b.actors.reduce((n, a) => n + a.capabilities.length, 0),
    challenges: b.actors.reduce((n, a) => n + a.challenges.length, 0),
    implications: b.implications.length,
    events: b.events.length,
    statements: stmts.length,
    citations: cits.length,
    distinctSources: new Set(cits.map((c) => c.source.id)).size,
  };
};

const answers = [];
for (const spec of targets) {
  const [name, url] = spec.split('=');
  const kind = name.replace(/[-_].*$/, '');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY[kind], variables: { slug } }),
  });
  const text = await res.text();
  const json = JSON.parse(text);
  if (json.errors) {
    console.error(name, JSON.stringify(json.errors).slice(0, 500));
    process.exit(1);
  }
  const brief = kind === 'postgraphile' ? fromPostgraphile(json.data.topicBySlug) : fromDossier(json.data.topic);
  answers.push({ name, brief, bytes: Buffer.byteLength(text), raw: json });
  console.log(`${name.padEnd(14)} ${String(Buffer.byteLength(text)).padStart(8)} bytes  ${JSON.stringify(counts(brief))}`);
}
let ok = true;
for (const other of answers.slice(1)) {
  const same = isDeepStrictEqual(answers[0].brief, other.brief);
  ok &&= same;
  console.log(`${answers[0].name} vs ${other.name}: ${same ? 'same rows and values' : 'DIFFERENT'}`);
  if (!same) {
    const a = JSON.stringify(answers[0].brief),
      b = JSON.stringify(other.brief);
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    console.log(`  first difference at ${i}:\n  ${a.slice(Math.max(0, i - 120), i + 120)}\n  ${b.slice(Math.max(0, i - 120), i + 120)}`);
  }
  // Same document byte for byte (dossier vs floor): said, not required; the rows above are what must agree.
  if (other.name.startsWith('floor') && answers[0].name.startsWith('dossier')) {
    const exact = JSON.stringify(answers[0].raw) === JSON.stringify(other.raw);
    console.log(`  ${answers[0].name} vs ${other.name}: ${exact ? 'identical JSON documents (same order)' : 'documents differ in order or shape'}`);
  }
}
process.exit(ok ? 0 : 1);
