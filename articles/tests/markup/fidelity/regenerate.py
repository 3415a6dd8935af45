"""Render every fidelity document with Hugo and store its HTML beside it.

usage: python articles/tests/markup/fidelity/regenerate.py [--hugo /usr/bin/hugo]

Needs Debian's `hugo` (apt-get install hugo); the test suite only reads the stored HTML. Hugo runs
with its default Goldmark configuration, except code-fence highlighting, which is off (the site does
not highlight code). The version that produced the files is written to HUGO_VERSION.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG = """\
baseURL = "https://example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home", "section"]
[markup.highlight]
codeFences = false
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hugo", default=shutil.which("hugo") or "hugo")
    args = parser.parse_args()
    try:
        version = subprocess.run([args.hugo, "version"], check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        sys.exit(f"cannot run hugo ({error}); install it with: apt-get install hugo")
    documents = sorted(HERE.glob("*.md"))
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        (site / "config.toml").write_text(CONFIG)
        (site / "layouts" / "_default").mkdir(parents=True)
        (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
        (site / "content").mkdir()
        for document in documents:
            front_matter = f'---\ntitle: "Fidelity document {document.stem}"\n---\n'
            (site / "content" / document.name).write_text(front_matter + document.read_text(encoding="utf-8"))
        subprocess.run([args.hugo, "--quiet", "--source", str(site), "--destination", str(site / "public")], check=True)
        for document in documents:
            html = (site / "public" / document.stem / "index.html").read_text(encoding="utf-8")
            document.with_suffix(".html").write_text(html, encoding="utf-8")
    (HERE / "HUGO_VERSION").write_text(version + "\n")
    print(f"{len(documents)} documents rendered by {version}")


if __name__ == "__main__":
    main()
