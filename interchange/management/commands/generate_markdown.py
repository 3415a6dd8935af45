import datetime as dt
import random
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand
from django.utils import timezone

WORDS = [
    "council",
    "budget",
    "minister",
    "vote",
    "harbour",
    "ferry",
    "river",
    "storm",
    "school",
    "teachers",
    "hospital",
    "nurses",
    "court",
    "judge",
    "police",
    "market",
    "prices",
    "energy",
    "grid",
    "wind",
    "solar",
    "farmers",
    "harvest",
    "election",
    "campaign",
    "mayor",
    "housing",
    "rents",
    "transport",
    "rail",
    "station",
    "bridge",
    "museum",
    "festival",
    "library",
    "science",
    "university",
    "research",
    "climate",
    "coast",
    "fishing",
    "port",
    "trade",
    "border",
    "talks",
    "treaty",
    "alliance",
    "summit",
    "defence",
    "security",
    "report",
    "data",
    "survey",
    "residents",
    "officials",
    "plan",
    "decision",
    "week",
    "morning",
    "evening",
    "city",
    "region",
    "country",
    "government",
    "parliament",
    "committee",
]
TAGS = ["Politics", "Economy", "Climate", "Health", "Education", "Transport", "Culture", "Science",
        "Housing", "Energy", "Justice", "Europe", "NATO", "Ukraine", "Local"]  # fmt: skip
AUTHORS = ["Amara Okafor", "Lukas Brandt", "Sofia Marin", "Kenji Watanabe", "Olena Kovalenko",
           "Priya Raman", "Tomás Herrera", "Ingrid Dahl"]  # fmt: skip
ROLES = ["", "", "", "Additional reporting", "Photos"]


def sentence(rng, low=8, high=20):
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def body(rng, words):
    parts, count = [], 0
    while count < words:
        if parts and rng.random() < 0.15:
            parts.append(f"## {sentence(rng, 3, 6)[:-1]}")
        elif parts and rng.random() < 0.1:
            parts.append("\n".join(f"- {sentence(rng, 4, 9)}" for _ in range(3)))
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        if rng.random() < 0.3:
            paragraph += f" Read the [full report](https://example.org/reports/{rng.randint(1, 999)})."
        parts.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(parts)


class Command(BaseCommand):
    help = "Write deterministic Hugo-style Markdown files: demo content and benchmark input."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--count", type=int, default=12)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--words", type=int, default=300, help="Approximate words per body.")

    def handle(self, directory, count, seed, words, **options):
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        rng = random.Random(seed)
        start = timezone.localtime().replace(hour=6, minute=0, second=0, microsecond=0)
        for n in range(count):
            title = sentence(rng, 4, 9)[:-1]
            meta = {
                "title": title,
                "slug": f"{n + 1:05d}-" + "-".join(title.lower().split()[:5]),
                "date": (start - dt.timedelta(hours=7 * n + rng.randint(0, 5))).isoformat(),
                "draft": False,
                "summary": sentence(rng, 12, 24),
                "tags": rng.sample(TAGS, rng.randint(3, 6)),
                "authors": [
                    {"name": name, "role": role} if (role := rng.choice(ROLES)) else name
                    for name in rng.sample(AUTHORS, rng.randint(1, 3))
                ],
            }
            front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
            (out / f"{meta['slug']}.md").write_text(f"---\n{front}---\n\n{body(rng, words)}\n", encoding="utf-8")
        self.stdout.write(f"Wrote {count} file(s) to {out}")
