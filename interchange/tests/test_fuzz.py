"""Property-based fuzzing (Hypothesis) of what reads untrusted files: front matter and the importer.

Any text or bytes end in a clean import or a reported error for that file, never another exception.
"""

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interchange import frontmatter, frontmatter_types, mapping
from interchange.importing import Importer
from interchange.preparing import FileTask, Outcome, prepare

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

KEYS = sorted(mapping.MAPPED_FIELDS) + ["weight", "series", "params", "x"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    st.dates(),
    st.sampled_from(
        [
            "2026-13-45",
            "2026-02-30T10:00:00",
            "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:00:00-05:00",
            "yesterday",
            "",
            "draft",
            "published",
            "withdrawn",
            "review",
        ]
    ),  # fmt: skip
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=20,
)
front_matter = st.dictionaries(st.sampled_from(KEYS), values, max_size=12)
bodies = st.text(max_size=400)


def _yaml(meta):
    return yaml.safe_dump(meta, allow_unicode=True, default_flow_style=None)


@st.composite
def documents(draw):
    """Whole files: well-formed front matter in each syntax, then mangled, plus arbitrary bytes."""
    meta, body = draw(front_matter), draw(bodies)
    kind = draw(st.sampled_from(["yaml", "json", "toml-ish", "none", "raw"]))
    if kind == "yaml":
        text = f"---\n{_yaml(meta)}---\n{body}"
    elif kind == "json":
        text = json.dumps(meta, default=str) + "\n" + body
    elif kind == "toml-ish":
        text = "+++\n" + "\n".join(f"{k} = {json.dumps(v, default=str)}" for k, v in meta.items()) + "\n+++\n" + body
    elif kind == "none":
        text = body
    else:
        return draw(st.binary(max_size=600))
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):  # mangle: cut, splice or flip bytes
        cut = draw(st.integers(min_value=0, max_value=len(raw)))
        raw = raw[:cut] + draw(st.binary(max_size=20)) + raw[cut + draw(st.integers(min_value=0, max_value=5)) :]
    return raw


@pytest.mark.parametrize(
    "raw",
    [
        b"---\naliases: [!!timestamp 2000-01-01 00:00:00']\n---\n",  # found by this fuzzer
        b"---\ndate: !!timestamp yesterday\n---\n",
        b"---\ntags: !!binary not base64 at all\n---\n",
    ],
)
def test_a_value_that_does_not_fit_its_tag_is_named(raw):
    with pytest.raises(frontmatter.FrontMatterError, match="front matter"):
        frontmatter.parse_document(raw)


@FUZZ
@given(documents())
def test_front_matter_parses_or_says_why(raw):
    try:
        meta, body = frontmatter.parse_document(raw)
    except frontmatter.FrontMatterError as error:
        assert str(error)
        return
    assert isinstance(meta, dict) and isinstance(body, str)
    try:
        frontmatter_types.check(meta, raw)  # as the importer does before mapping (preparing.prepare)
        data = mapping.to_article_data(meta, body, "fuzz.md")
    except frontmatter.FrontMatterError as error:
        assert str(error)
        return
    fields = data.fields
    assert fields["title"] and len(fields["title"]) <= 300
    if fields["status"] == "published":
        assert fields["published_at"] is not None  # never Published without a time
    for name in ("published_at", "updated_at", "expires_at"):
        if fields[name] is not None:
            assert fields[name].tzinfo is not None
            fields[name].astimezone(dt.UTC)


@pytest.mark.django_db
@FUZZ
@given(st.lists(documents(), min_size=1, max_size=3))
def test_any_file_imports_cleanly_or_is_reported(files):
    """Through the whole importer and the database: an outcome for every file, and never an exception."""
    importer = Importer(workers=1)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for n, raw in enumerate(files):
            path = root / f"file-{n}.md"
            path.write_bytes(raw)
            task = FileTask(path, root, named=True, as_draft=False, site_host=importer.site_host)
            outcome = importer.store(path, prepare(task))
            assert isinstance(outcome, Outcome)
            assert outcome.result in {"created", "updated", "unchanged", "kept", "skipped", "failed"}, outcome
            if outcome.result == "failed":
                assert outcome.reason and "Traceback" not in outcome.reason
