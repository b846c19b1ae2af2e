import { Marking, MARKINGS } from '../src/common/marking';
import { ANONYMOUS } from '../src/common/viewer';
import { composeBrief } from '../src/modules/brief/brief.compose';
import { renderHtml } from '../src/modules/brief/brief.html';
import { readBriefData } from '../src/modules/brief/brief.read';
import { briefScopeOf } from '../src/modules/brief/brief.scope';
import { fixtureId } from '../src/modules/fixture/fixture.ids';
import { createKey } from '../src/modules/identity/api-key.service';
import { Role } from '../src/modules/identity/role';
import { SqlBuilder } from '../src/read/sql';
import { addMarkedLayer } from './support/marked-layer';
import { dataOf, startTestServer, TestServer } from './support/server';

// The print-ready HTML brief, checked by its structure: what Chromium repeats on every printed page (a table's thead
// and tfoot), the anchors between references and the bibliography, and the print rules. `scripts/check-print.sh`
// prints it with a real Chromium and checks every page.
const DPRK = { topics: ['dprk-troops-in-russia'] };
const BRIEF = `query($input: BriefInput!) { brief(input: $input) { html markdown marking sources { number } } }`;

// TLP 2.0 (FIRST): each label's colour, on black.
const TLP_COLOUR: Record<string, string> = { CLEAR: '#FFFFFF', GREEN: '#33FF00', AMBER: '#FFC000', AMBER_STRICT: '#FFC000', RED: '#FF2B2B' };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const between = (html: string, open: string, close: string) => {
  const start = html.indexOf(open);
  const end = html.indexOf(close, start);
  expect({ open, found: start >= 0 && end > start }).toEqual({ open, found: true });
  return html.slice(start + open.length, end);
};
const all = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1]);

test('the marking is in the header and footer that repeat on every printed page, in its TLP 2.0 colours', async () => {
  const key = (await createKey(server.dataSource.manager, { name: 'amber-reader', role: Role.VIEWER, clearance: Marking.AMBER, organisation: 'test-org' })).key;
  await addMarkedLayer(server.dataSource);
  const amber = dataOf(await server.gqlAs(key, BRIEF, { input: DPRK })).brief;
  const clear = dataOf(await server.gql(BRIEF, { input: DPRK })).brief;
  expect([amber.marking, clear.marking]).toEqual(['AMBER', 'CLEAR']);
  for (const [b, label, css] of [
    [amber, 'TLP:AMBER', 'tlp-amber'],
    [clear, 'TLP:CLEAR', 'tlp-clear'],
  ] as const) {
    const frame = between(b.html, '<table class="brief-page" role="presentation">', '</table>');
    const block = `<div class="tlp-marking ${css}" role="note" aria-label="Marking"><span>${label}</span></div>`;
    // thead and tfoot come before the body, as the HTML table model asks, so the browser repeats them on each page.
    expect(frame.indexOf('<thead>')).toBeLessThan(frame.indexOf('<tfoot>'));
    expect(frame.indexOf('<tfoot>')).toBeLessThan(frame.indexOf('<tbody>'));
    expect(between(frame, '<thead>', '</thead>')).toBe(`<tr><td>${block}</td></tr>`);
    expect(between(frame, '<tfoot>', '</tfoot>')).toBe(`<tr><td>${block}</td></tr>`);
    // All of the brief is inside the table's body: nothing escapes the frame.
    const body = between(b.html, '<body', '</body>');
    expect(body.replace(/^[^>]*>\n/, '').startsWith('<table class="brief-page"')).toBe(true);
    expect(body.trimEnd().endsWith('</table>')).toBe(true);
    expect(between(frame, '<tbody>', '</tbody>')).toContain('<h1>North Korean troop deployment to Russia, 2024</h1>');
    expect(b.html).toContain(`<meta name="tlp" content="${label}">`);
    // The Markdown's own marking lines are the frame's job in HTML: not repeated inside the body.
    expect(b.markdown.startsWith(`**${label}**\n`)).toBe(true);
    expect(b.html).not.toContain(`<strong>${label}</strong>`);
  }
  // The marking's label prints with its background (browsers drop backgrounds in print unless told).
  const css = between(amber.html, '<style>', '</style>');
  expect(css).toMatch(/\.tlp-marking span\{[^}]*background:#000;[^}]*print-color-adjust:exact;-webkit-print-color-adjust:exact/);
  for (const marking of MARKINGS) expect(css).toContain(`.tlp-${marking.toLowerCase().replace('_', '-')} span{color:${TLP_COLOUR[marking]}}`);
});

test('every marking gets its own label and colour class', async () => {
  const viewer = { ...ANONYMOUS, clearance: Marking.GREEN };
  const scope = briefScopeOf(DPRK, viewer);
  const composed = composeBrief(scope, await readBriefData(server.dataSource, new SqlBuilder(viewer, 0), scope));
  const labels = MARKINGS.map((marking) => {
    const html = renderHtml({ ...composed, marking: marking as Marking });
    const head = between(html, '<thead>', '</thead>');
    return [/class="tlp-marking (tlp-[a-z-]+)"/.exec(head)?.[1], /<span>([^<]+)<\/span>/.exec(head)?.[1], between(html, '<tfoot>', '</tfoot>') === head];
  });
  expect(labels).toEqual([
    ['tlp-clear', 'TLP:CLEAR', true],
    ['tlp-green', 'TLP:GREEN', true],
    ['tlp-amber', 'TLP:AMBER', true],
    ['tlp-amber-strict', 'TLP:AMBER+STRICT', true],
    ['tlp-red', 'TLP:RED', true],
  ]);
});

test('every reference links to its bibliography entry, and every entry links back to each reference', async () => {
  const b = dataOf(await server.gql(BRIEF, { input: DPRK })).brief;
  const ids = all(b.html, / id="([^"]+)"/g);
  expect(new Set(ids).size).toBe(ids.length);
  // Every in-page link resolves.
  const targets = all(b.html, / href="#([^"]+)"/g);
  expect(targets.length).toBeGreaterThan(100);
  expect(targets.filter((t) => !ids.includes(t))).toEqual([]);

  // As many linked references per source as the Markdown has references, each showing the source's number.
  const inMarkdown = new Map<string, number>();
  for (const n of all(b.markdown, /(?:\[|, )(\d+) [A-F][1-6](?=[ ,\]])/g)) inMarkdown.set(n, (inMarkdown.get(n) ?? 0) + 1);
  const refs = [...b.html.matchAll(/<a href="#source-(\d+)" id="ref-(\d+)-(\d+)" class="ref">(\d+)<\/a> [A-F][1-6]/g)];
  expect(refs.every(([, target, n, , text]) => target === n && text === n)).toBe(true);
  const linked = new Map<string, number>();
  for (const [, n] of refs) linked.set(n, (linked.get(n) ?? 0) + 1);
  expect(linked).toEqual(inMarkdown);
  expect(b.sources.length).toBeGreaterThan(5);

  // Each bibliography entry has its id and links back to exactly the references to it, in order.
  const bibliography = between(b.html, '<h2>Sources</h2>', '</ol>');
  const entries = [...bibliography.matchAll(/<li id="source-(\d+)">(.*?)<\/li>/g)];
  expect(entries.map(([, n]) => Number(n))).toEqual(b.sources.map((s: { number: number }) => s.number));
  for (const [, n, entry] of entries) {
    const back = all(entry, /<a href="#(ref-\d+-\d+)"/g);
    expect({ n, back }).toEqual({ n, back: Array.from({ length: inMarkdown.get(n) ?? 0 }, (_, k) => `ref-${n}-${k + 1}`) });
  }
});

test('text from the data cannot make a link or an anchor', async () => {
  const id = '00000000-0000-4000-8000-00000000f101';
  await server.dataSource.query(`INSERT INTO capability (id, topic_id, actor_id, category, statement) VALUES ($1, $2, $3, 'TACTICS', $4)`, [
    id,
    fixtureId('topic', 'dprk-troops-in-russia'),
    fixtureId('actor', 'russia'),
    'See [1](#source-1) and <a id="source-2">here</a>',
  ]);
  await server.dataSource.query(
    `INSERT INTO citation (id, source_id, verb, quote, credibility, capability_id) VALUES (gen_random_uuid(), $1, 'STATES', 'q', 2, $2)`,
    [fixtureId('source', 'article'), id],
  );
  try {
    const b = dataOf(await server.gql(BRIEF, { input: { ...DPRK, sections: ['ACTORS', 'SOURCES'], limitPerSection: 100 } })).brief;
    expect(b.html).toContain('See [1](#source-1) and &lt;a id=&quot;source-2&quot;&gt;here&lt;/a&gt;.');
    expect(all(b.html, / id="(source-2)"/g)).toEqual(['source-2']);
    const links = all(b.html, /<a href="#source-1"( id="ref-1-\d+" class="ref")>/g);
    expect(all(b.html, /(<a href="#source-1")/g)).toHaveLength(links.length);
  } finally {
    await server.dataSource.query(`DELETE FROM capability WHERE id = $1`, [id]);
  }
});

test('print rules: page size and margins, colours kept, headings kept with their first lines, no orphans or widows', async () => {
  const css = between(dataOf(await server.gql(BRIEF, { input: DPRK })).brief.html, '<style>', '</style>');
  const print = between(css, '@media print{', '\n}');
  expect(print).toMatch(/@page\{size:A4;margin:[^}]+\}/);
  // Outside @media print, so they hold in any paged view.
  expect(css).toContain('h1,h2,h3{break-after:avoid;page-break-after:avoid;break-inside:avoid;page-break-inside:avoid}');
  expect(css).toContain('h1+p,h2+p,h3+p,h2+ol>li:first-child,h2+ul>li:first-child,p:has(+ul)+ul>li:first-child{break-before:avoid;page-break-before:avoid}');
  expect(css).toContain('p:has(+ul){break-after:avoid;page-break-after:avoid}');
  expect(css).toContain('p,li{orphans:3;widows:3}');
  expect(css).toContain('li{break-inside:avoid;page-break-inside:avoid}');
});
