"""How the CommonMark spec's 652 examples compare with Hugo's HTML for them: the count in each class.

usage: python articles/tests/markup/commonmark_report.py

"identical" counts the examples equal to Hugo's once the deliberate differences (comparison.py) are applied;
each deliberate difference counts the examples it shows in; each class of commonmark_spec.SPEC_DIFFERENCES
counts the examples it lists, which are printed too. Examples in no class are printed last: the test fails
on them.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from articles.tests.markup.commonmark_spec import SPEC_DIFFERENCES, counts, examples, outcome  # noqa: E402


def main():
    outcomes = [outcome(number) for number in sorted(examples())]
    print(f"{len(outcomes)} CommonMark spec examples against Hugo 0.111.3")
    for name, count in counts(outcomes).items():
        difference = SPEC_DIFFERENCES.get(name)
        note = ""
        if difference is not None:
            note = (
                (" (provisional)" if difference.provisional else "")
                + ": "
                + ", ".join(str(number) for number in sorted(difference.examples))
            )
        print(f"{count:5}  {name}{note}")
    undocumented = [result.number for result in outcomes if not result.identical and not result.listed]
    if undocumented:
        print(f"{len(undocumented):5}  in no class: " + ", ".join(map(str, undocumented)))
    return 1 if undocumented else 0


if __name__ == "__main__":
    sys.exit(main())
