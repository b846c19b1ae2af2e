// The brief as a self-contained HTML document, on screen and in print: the TLP marking heads and foots every printed
// page, every reference links to its bibliography entry and back, and a heading never ends a page.
import MarkdownIt from 'markdown-it';
import { Marking } from '../../common/marking';
import { tlpLabel } from './brief.phrases';
import { renderMarkdown } from './brief.render';
import type { BriefSections } from './brief.types';

/** TLP 2.0 (FIRST) label colours: the label's text colour, always on a black background. */
export const TLP_COLOURS: Record<Marking, string> = {
  [Marking.CLEAR]: '#FFFFFF',
  [Marking.GREEN]: '#33FF00',
  [Marking.AMBER]: '#FFC000',
  [Marking.AMBER_STRICT]: '#FFC000',
  [Marking.RED]: '#FF2B2B',
};

export const tlpClass = (marking: Marking) => `tlp-${marking.toLowerCase().replace('_', '-')}`;

// The page frame is a table: browsers (Chromium, checked by scripts/check-print.sh) repeat a table's thead and tfoot on every printed page the
// table runs over, so the marking is at the top and bottom of each page whatever the content's length.
const STYLE = `
body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}
table.brief-page{border-collapse:collapse;width:100%}
table.brief-page>thead>tr>td,table.brief-page>tfoot>tr>td,table.brief-page>tbody>tr>td{padding:0;vertical-align:top}
.tlp-marking{margin:.5rem 0;font-weight:700;text-align:right}
.tlp-marking span{display:inline-block;padding:.1rem .5rem;background:#000;font-family:Arial,Helvetica,sans-serif;letter-spacing:.02em;print-color-adjust:exact;-webkit-print-color-adjust:exact}
${Object.entries(TLP_COLOURS)
  .map(([marking, colour]) => `.${tlpClass(marking as Marking)} span{color:${colour}}`)
  .join('\n')}
a.ref{text-decoration:none}
.backrefs{font-size:.85em}
:target{background:#fff3b0}
h1,h2,h3{break-after:avoid;page-break-after:avoid;break-inside:avoid;page-break-inside:avoid}
h1+p,h2+p,h3+p,h2+ol>li:first-child,h2+ul>li:first-child,p:has(+ul)+ul>li:first-child{break-before:avoid;page-break-before:avoid}
p:has(+ul){break-after:avoid;page-break-after:avoid}
p,li{orphans:3;widows:3}
li{break-inside:avoid;page-break-inside:avoid}
@media print{
@page{size:A4;margin:12mm 16mm}
body{max-width:none;margin:0;padding:0;font-size:10.5pt;line-height:1.4}
a{color:inherit}
.backrefs{display:none}
:target{background:none}
}`;

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.core.ruler.push('brief_references', linkReferences);

/**
 * Gives each reference to a source (`#source-n`, which only the renderer writes: data text cannot make a link) an id
 * of its own, and each bibliography entry the id `source-n` with links back to the references that cite it.
 */
function linkReferences(state: MarkdownIt.StateCore): void {
  const citedBy = new Map<string, string[]>();
  for (const token of state.tokens) {
    for (const child of token.children ?? []) {
      const number = child.type === 'link_open' ? /^#source-(\d+)$/.exec(String(child.attrGet('href')))?.[1] : undefined;
      if (!number) continue;
      const refs = citedBy.get(number) ?? [];
      const id = `ref-${number}-${refs.length + 1}`;
      refs.push(id);
      citedBy.set(number, refs);
      child.attrSet('id', id);
      child.attrSet('class', 'ref');
    }
  }
  const tokens = state.tokens;
  const heading = tokens.findIndex((t, i) => t.type === 'heading_open' && t.tag === 'h2' && tokens[i + 1]?.content === 'Sources');
  const list = heading < 0 ? -1 : tokens.findIndex((t, i) => i > heading && (t.type === 'ordered_list_open' || t.type === 'heading_open'));
  if (list < 0 || tokens[list].type !== 'ordered_list_open') return;
  for (let i = list + 1; i < tokens.length && tokens[i].type !== 'ordered_list_close'; i++) {
    if (tokens[i].type !== 'list_item_open' || tokens[i].level !== tokens[list].level + 1) continue;
    const number = tokens[i].info;
    tokens[i].attrSet('id', `source-${number}`);
    const inline = tokens.slice(i).find((t) => t.type === 'inline');
    const refs = citedBy.get(number) ?? [];
    if (!inline?.children || !refs.length) continue;
    const text = (content: string) => Object.assign(new state.Token('text', '', 0), { content });
    const open = new state.Token('span_open', 'span', 1);
    open.attrSet('class', 'backrefs');
    inline.children.push(text(' '), open, text('Cited at '));
    refs.forEach((id, k) => {
      const link = new state.Token('link_open', 'a', 1);
      link.attrSet('href', `#${id}`);
      link.attrSet('aria-label', `back to reference ${k + 1} to source ${number}`);
      inline.children!.push(...(k ? [text(' ')] : []), link, text(`↩${k + 1}`), new state.Token('link_close', 'a', -1));
    });
    inline.children.push(new state.Token('span_close', 'span', -1));
  }
}

const markingBlock = (marking: Marking) =>
  `<div class="tlp-marking ${tlpClass(marking)}" role="note" aria-label="Marking"><span>${tlpLabel(marking)}</span></div>`;

/** A self-contained HTML document of the brief, byte-identical for the same brief. */
export function renderHtml(brief: BriefSections): string {
  const marking = markingBlock(brief.marking);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta name="tlp" content="${tlpLabel(brief.marking)}">`,
    `<title>${md.utils.escapeHtml(brief.title)}</title>`,
    `<style>${STYLE}\n</style>`,
    '</head>',
    `<body class="${tlpClass(brief.marking)}">`,
    '<table class="brief-page" role="presentation">',
    `<thead><tr><td>${marking}</td></tr></thead>`,
    `<tfoot><tr><td>${marking}</td></tr></tfoot>`,
    '<tbody><tr><td><main>',
    md.render(renderMarkdown(brief, { linked: true })).trimEnd(),
    '</main></td></tr></tbody>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
