#!/bin/bash
# Prints an HTML brief with headless Chromium and checks every page: the TLP marking is its first and its last line,
# and no page but the last ends on a heading or on a label ("Capabilities:") that introduces a list. The brief is
# printed again with its body pushed down by 0 to 360 px, so headings fall at every height of a page.
#   npm run -s brief -- --topic dprk-troops-in-russia --format html --out /tmp/brief.html && scripts/check-print.sh /tmp/brief.html
# Needs chromium and poppler-utils (pdfinfo, pdftotext): apt-get install -y chromium poppler-utils
set -euo pipefail
html=$(realpath "$1")
label=$(sed -n 's/.*<meta name="tlp" content="\([^"]*\)">.*/\1/p' "$html")
[ -n "$label" ] || { echo "$1: no <meta name=\"tlp\">: not a brief"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
headings=$(grep -o '<h[1-3]>[^<]*</h[1-3]>' "$html" | sed 's/<[^>]*>//g'; printf 'Capabilities:\nChallenges:\nRelations:\n')
failed=0
for offset in 0 40 80 120 160 200 240 280 320 360; do
  sed "s#</style>#main{display:block;padding-top:${offset}px}</style>#" "$html" > "$work/brief.html"
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$work/brief.pdf" "file://$work/brief.html" 2>/dev/null
  before=$failed
  failed=0
  pages=$(pdfinfo "$work/brief.pdf" | awk '/^Pages/ {print $2}')
  for page in $(seq 1 "$pages"); do
    text=$(pdftotext -f "$page" -l "$page" "$work/brief.pdf" - | grep -v '^\s*$')
    first=$(head -1 <<< "$text")
    last=$(tail -1 <<< "$text")
    before_last=$(tail -2 <<< "$text" | head -1)
    if [ "$first" != "$label" ] || [ "$last" != "$label" ]; then
      echo "offset ${offset}px, page $page of $pages: marking missing (first line '$first', last line '$last')"
      failed=1
    fi
    if [ "$page" -lt "$pages" ] && grep -qxF -- "$before_last" <<< "$headings"; then
      echo "offset ${offset}px, page $page of $pages: ends on '$before_last'"
      failed=1
    fi
  done
  echo "offset ${offset}px: $pages pages: $([ $failed = 0 ] && echo ok || echo FAILED)"
  failed=$((failed | before))
done
exit $failed
