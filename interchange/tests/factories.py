"""Helpers for the interchange tests: a sample Hugo file, files written into a folder, and the importer run as
the command runs it."""

from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

SAMPLE = (
    Path(__file__).resolve().parents[2] / "demo/content/world/nato-allies-wrestle-over-deepening-ties-with-ukraine.md"
)


def run_import(*paths, **options):
    """Run import_markdown; return (stdout, stderr, error or None)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_markdown", *map(str, paths), stdout=out, stderr=err, **options)
        error = None
    except CommandError as exc:
        error = exc
    return out.getvalue(), err.getvalue(), error


def write(folder, name, text):
    """A file in ``folder`` (text as UTF-8, or bytes as they are), with its folders made."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
