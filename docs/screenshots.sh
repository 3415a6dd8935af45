#!/usr/bin/env bash
# The README's screenshots: the front page and a section front at phone and desktop widths, an article with a
# library picture in its body on a phone, taken with the
# headless Chromium the browser tests use, from a running demo (`make run` in another terminal).
set -euo pipefail
site=${1:-http://127.0.0.1:8000}
out=$(dirname "$0")
shoot() {  # name width height path
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --hide-scrollbars --window-size="$2,$3" --screenshot="$out/$1.png" "$site$4" 2>/dev/null
}
shoot front-desktop 1280 1900 /
shoot front-phone 390 1700 /
shoot section-desktop 1280 1500 /sections/politics/
shoot section-phone 390 1500 /sections/politics/
shoot article-figure-phone 390 1500 /articles/glacier-survey-finds-faster-melting/
ls -l "$out"/*.png
# The desk needs a login: signed in through the browser, as the demo's editor and writer.
"$(dirname "$0")/../.venv/bin/python" "$(dirname "$0")/desk_screenshots.py" "$site"
