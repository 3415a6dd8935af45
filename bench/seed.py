"""Fill the configured database with generated articles for the site benchmark, with bulk inserts.

usage: DATABASE_URL=... python bench/seed.py --articles 10000 [--words 800] [--seed 1]

Each article has a ~800-word body (words drawn with a Zipf distribution from a 4,000-word vocabulary,
so searches hit a realistic spread of rows), 1-3 bylines from 300 authors and 3-6 tags from 200.
Publication times are spread over the past years; 2 % are drafts and a few are scheduled.
A library of 40 pictures (cleaned, with renditions, as uploads are) gives 20 % of the articles a lead picture
and 10 % a picture in the body. The rendered HTML is written along with the source, as saving through the admin
would.
"""

import argparse
import itertools
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from taggit.models import Tag  # noqa: E402

from articles.markup import figures, markdown  # noqa: E402
from articles.models import (  # noqa: E402
    Article,
    ArticleImage,
    Author,
    Banner,
    Byline,
    Image,
    Pin,
    Section,
    TaggedArticle,
)
from articles.tests.factories import picture_bytes  # noqa: E402
from interchange.management.commands.generate_markdown import WORDS  # noqa: E402

BATCH = 1000
SYLLABLES = ["ka", "lo", "mi", "ren", "to", "sa", "vel", "dor", "an", "is", "ur", "bel", "cor", "fin", "ga", "ho"]


def vocabulary(rng, size=4000):
    """Real news words first (the most frequent), then pronounceable made-up ones."""
    words = list(WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    words = vocabulary(rng)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))

    def text(count):
        return " ".join(rng.choices(words, cum_weights=cumulative, k=count))

    started = time.perf_counter()
    if Article.objects.exists():
        sys.exit("The database already has articles; the benchmark seeds an empty one.")
    authors = Author.objects.bulk_create(
        Author(name=f"{text(1).title()} {text(1).title()} {n}", slug=f"author-{n}", bio=text(30)) for n in range(300)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"Topic {word.title()}", slug=f"topic-{word}") for word in words[:200])
    sections = Section.objects.bulk_create(
        Section(name=name, slug=name.lower(), position=n, in_navigation=n < 5)
        for n, name in enumerate(["Politics", "World", "Business", "Science", "Culture", "Obituaries"])
    )
    from django.core.files.base import ContentFile

    pictures = [
        Image.objects.add(ContentFile(picture_bytes(color=(n * 5, 90, 255 - n * 5)), name=f"p{n}.jpg"),
                          alt=f"Picture {n}", caption=text(8).capitalize(), credit="Bench")[0]
        for n in range(40)
    ]  # fmt: skip
    now = timezone.now()
    span = timedelta(days=5 * 365) / max(args.articles, 1)
    paragraph_words = max(20, args.words // 8)
    made = 0
    while made < args.articles:
        batch = []
        for n in range(made, min(made + BATCH, args.articles)):
            title = text(rng.randint(6, 10)).capitalize()
            dek = text(rng.randint(15, 25)).capitalize() + "."
            paragraphs = [text(paragraph_words).capitalize() + "." for _ in range(8)]
            html = [f"<p>{paragraph}</p>\n" for paragraph in paragraphs]
            if rng.random() < 0.1:  # a library picture after the second paragraph
                picture = rng.choice(pictures)
                paragraphs.insert(2, f"![{picture.alt}](image:{picture.pk})")
                html.insert(2, figures.placeholder_figure(picture.pk, picture.alt, ""))
            body = "\n\n".join(paragraphs)
            roll = rng.random()
            status = Article.Status.DRAFT if roll < 0.02 else Article.Status.PUBLISHED
            published_at = now + timedelta(hours=rng.randint(1, 48)) if roll > 0.999 else now - span * (n + 1)
            batch.append(
                Article(
                    title=title,
                    slug=f"{slugify(title)[:180]}-{n}",
                    dek=dek,
                    body=body,
                    body_html="".join(html),
                    lead_image=rng.choice(pictures) if rng.random() < 0.2 else None,
                    body_html_key=markdown.source_key(body, title, ""),
                    status=status,
                    published_at=None if status == Article.Status.DRAFT else published_at,
                    section=rng.choice(sections) if rng.random() < 0.9 else None,
                )
            )
        with transaction.atomic():
            created = Article.objects.bulk_create(batch)
            bylines, tagged = [], []
            for article in created:
                for position, author in enumerate(rng.sample(authors, rng.randint(1, 3))):
                    bylines.append(Byline(article=article, author=author, position=position))
                for tag in rng.sample(tags[:60] if rng.random() < 0.7 else tags, rng.randint(3, 6)):
                    tagged.append(TaggedArticle(content_object=article, tag=tag))
            Byline.objects.bulk_create(bylines)
            TaggedArticle.objects.bulk_create(tagged)
            # New articles: no correction shows a picture yet.
            ArticleImage.record(
                [article for article in created if "data-image=" in article.body_html], corrections_html={}
            )
        made += len(batch)
        print(f"\r{made} articles", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    # The front page as editors would leave it: a pinned lead, four top stories, a banner.
    recent = list(Article.objects.published().newest_first().values_list("pk", flat=True)[:12])
    for position, pk in enumerate(recent[2:12:2]):
        Pin.objects.create(article_id=pk, place=Pin.Place.LEAD if position == 0 else Pin.Place.TOP, position=position)
    Banner.objects.create(text="Storm warning", link="/sections/world/", expires_at=now + timedelta(days=30))
    print(f"seeded {made} articles in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
