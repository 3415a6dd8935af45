"""Render every fidelity document, and every example of the CommonMark spec, with Hugo and store its HTML.

usage: python articles/tests/markup/fidelity/regenerate.py [--hugo /usr/bin/hugo]

Needs Debian's `hugo` (apt-get install hugo); the test suite only reads the stored HTML. Hugo runs
with its default Goldmark configuration, except code-fence highlighting, which is off (the site does
not highlight code). A document's HTML is written beside it; the spec's examples (commonmark/spec.json)
get theirs in commonmark/hugo.json, keyed by example number. The version that produced the files is
written to HUGO_VERSION.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC = HERE / "commonmark" / "spec.json"
SPEC_HTML = HERE / "commonmark" / "hugo.json"
CONFIG = """\
baseURL = "https://example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home", "section"]
[markup.highlight]
codeFences = false
"""


def render_with_hugo(hugo, pages):
    """{name: Markdown} to {name: Hugo's HTML}, every page in one site."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        (site / "config.toml").write_text(CONFIG)
        (site / "layouts" / "_default").mkdir(parents=True)
        (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
        (site / "content").mkdir()
        for name, text in pages.items():
            front_matter = f'---\ntitle: "Fidelity document {name}"\n---\n'
            (site / "content" / f"{name}.md").write_text(front_matter + text, encoding="utf-8")
        subprocess.run([hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")], check=True)
        return {name: _read_page(site / "public" / name / "index.html") for name in pages}


def _read_page(path):
    """Hugo writes no file for a page whose HTML is empty (a spec example with only a link definition)."""
    return path.read_text(encoding="utf-8") if path.exists() else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    args = parser.parse_args()
    try:
        version = subprocess.run([args.hugo, "version"], check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        sys.exit(f"cannot run hugo ({error}); install it with: apt-get install hugo")
    documents = sorted(HERE.glob("*.md"))
    rendered = render_with_hugo(args.hugo, {d.stem: d.read_text(encoding="utf-8") for d in documents})
    for document in documents:
        document.with_suffix(".html").write_text(rendered[document.stem], encoding="utf-8")
    examples = json.loads(SPEC.read_text(encoding="utf-8"))
    rendered = render_with_hugo(args.hugo, {f"example-{e['example']}": e["markdown"] for e in examples})
    spec_html = {str(e["example"]): rendered[f"example-{e['example']}"] for e in examples}
    SPEC_HTML.write_text(json.dumps(spec_html, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (HERE / "HUGO_VERSION").write_text(version + "\n")
    print(f"{len(documents)} documents and {len(examples)} spec examples rendered by {version}")


if __name__ == "__main__":
    main()
