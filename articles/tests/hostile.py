"""Bodies built to make a Markdown renderer slow or deep: shared by the tests and `make bench-markdown`.

`constructions()` are the inputs that take a backtracking or recursive renderer into seconds or minutes
(Python-Markdown took 43.6 s on the first); a linear-time renderer finishes each in a fraction of a second.
`volume()` are bodies at the size limit: their time only measures how fast the renderer goes, since it grows
in proportion to the size.
"""

from articles.markup.limits import MAX_SOURCE_BYTES


def constructions():
    """(name, body) pairs."""
    return [
        ("unclosed links [a]( x10,000", "[a](" * 10_000),
        ("nested brackets x10,000", "[" * 10_000 + "x" + "]" * 10_000),
        ("3,000 abbreviation definitions", "".join(f"*[ABBR{i}]: Abbreviation {i}\n" for i in range(3_000)) + "ABBR1"),
        ("list markers nested 10,000 deep", "- " * 10_000 + "x"),
        ("indented lists 1,000 deep", "".join("  " * i + "- item\n" for i in range(1_000))),
        ("ordered and bullet lists alternating 5,000 deep", "1. - " * 5_000 + "x"),
        ("block quotes nested 50,000 deep", "> " * 50_000 + "deep"),
        ("emphasis nested 10,000 deep", "*" * 10_000 + "x" + "*" * 10_000),
        ("alternating emphasis delimiters x10,000", "*_" * 10_000 + "x"),
        ("unclosed code spans x10,000", "`a ``b ```c " * 10_000),
        ("10,000 reference links to one definition", "[r]: https://example.org/r\n\n" + "[x][r] " * 10_000),
        ("10,000 reference definitions, each used once",
         "".join(f"[r{i}]: https://example.org/{i}\n" for i in range(10_000))
         + " ".join(f"[r{i}]" for i in range(10_000))),
        ("one 500,000-character line", "word " * 100_000),
        ("1,000 footnotes", " ".join(f"[^n{i}]" for i in range(1_000)) + "\n\n"
         + "".join(f"[^n{i}]: Note {i}.\n" for i in range(1_000))),
        ("bare URLs x5,000", " ".join(f"https://example.org/{i}" for i in range(5_000))),
        ("a table of 1,000 rows", "| a | b | c |\n|---|:-:|--:|\n" + "| 1 | *2* | [3](/x) |\n" * 1_000),
        ("raw HTML tags x10,000", "<span>" * 10_000),
        ("the same heading x5,000", "## Same heading\n\n" * 5_000),
        ("one run of 100,000 double quotes", '"' * 100_000),
        ("quotes and apostrophes x100,000", "\"a' '\"b" * 25_000),
    ]  # fmt: skip


def _repeat_to(block, size):
    return (block * (size // len(block) + 1))[:size]


def volume():
    """(name, body) pairs of ordinary Markdown at the size limit."""
    prose = (
        "The council met on Tuesday, its first meeting since the budget was cut, and voted to keep the "
        "ferry running until 2030. Residents had asked for a vote for months; the mayor said the rents "
        "and the harbour would come next. Read the [full report](https://example.org/reports/12).\n\n"
    )
    dense = (
        "## A heading for this part\n\n"
        'The council met on Tuesday -- its first meeting since the "budget crisis" began. See '
        "[the minutes](https://example.org/minutes) and *the* **report**; www.example.org has more.\n\n"
        "- first point\n- second point with `code`\n\n> A quotation, attributed.\n\n"
    )
    return [
        ("prose at the 1 MB limit", _repeat_to(prose, MAX_SOURCE_BYTES)),
        ("markup every 300 bytes at the 1 MB limit", _repeat_to(dense, MAX_SOURCE_BYTES)),
    ]


def bodies():
    return constructions() + volume()
