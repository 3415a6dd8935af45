"""Helpers for the interchange tests: a sample Hugo file, files written into a folder, and the importer run as
the command runs it."""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.utils import timezone

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


def newsroom_of_every_state():
    """{state: article}: an article in each state readers and Hugo must agree on (live, scheduled, embargoed, an
    embargo already lifted, expired, due to expire, withdrawn, in review, a draft under embargo), with what an
    export has to carry: bylines in order, tags, a section, old addresses, a lead image with its credit,
    corrections and updates at their times, a withdrawal note, kinds of work and a sponsor, and one article as a
    page bundle."""
    from articles.models import Article, ArticleAlias, Correction, Section
    from articles.tests.factories import kind_of_work, make_article, make_author, make_picture

    now = timezone.now().replace(microsecond=123456)
    day = timedelta(days=1)
    ana, ben = make_author("Ana Silva"), make_author("Ben Okoro")
    politics = Section.objects.create(name="Politics", slug="politics")
    published = Article.Status.PUBLISHED
    made = {
        "live": make_article(
            title="Harbour vote passes", slug="harbour-vote", section=politics, authors=(ben, ana),
            tags=("Harbour", "Council"), published_at=now - 3 * day, updated_at=now - 3 * day,
            lead_image_url="https://img.example/harbour.jpg", lead_image_alt="The harbour at dawn",
            lead_image_caption="Boats at the quay", lead_image_credit="Photo: Port Authority",
            kind=kind_of_work("Analysis"),
        ),
        "scheduled": make_article(title="Budget to be unveiled", published_at=now + 3 * day, authors=(ana,)),
        "embargoed": make_article(title="Jobs report", published_at=now - day, embargo_until=now + 2 * day),
        "embargo lifted": make_article(title="Census out", published_at=now - 3 * day, embargo_until=now - day),
        "expired": make_article(title="Roadworks notice", published_at=now - 5 * day, expires_at=now - day),
        "expiring": make_article(title="Festival guide", published_at=now - 2 * day, expires_at=now + 30 * day),
        "withdrawn": make_article(
            title="Ferry strike story", published_at=now - 4 * day, status=Article.Status.WITHDRAWN,
            withdrawal_note="This article was withdrawn: its **main source** retracted.",
        ),
        "review": make_article(title="Market hall repairs", status=Article.Status.REVIEW, published_at=None),
        "draft under embargo": make_article(
            title="Quarterly figures", status=Article.Status.DRAFT, published_at=None, embargo_until=now + day
        ),
        "bundle": make_article(
            title="Glacier survey", slug="glacier-survey", published_at=now - 2 * day, status=published,
            lead_image=make_picture(caption="The tongue", credit="Survey"), kind=kind_of_work("Sponsored"),
            sponsor="Fjord Cruises",
        ),
    }  # fmt: skip
    for old, key in (("harbour-vote-old", "live"), ("ferry-strike-first", "withdrawn")):
        ArticleAlias.objects.create(path=ArticleAlias.path_for_slug(old), article=made[key])
    ArticleAlias.objects.create(path="/2019/06/harbour-vote/", article=made["live"])
    Correction.objects.create(
        article=made["live"], text="An earlier version gave the wrong date for the vote.", created_at=now - 2 * day
    )
    Correction.objects.create(
        article=made["live"], kind=Correction.Kind.UPDATE, text="The mayor has *since* commented.\n\nSecond line.",
        created_at=now - day,
    )  # fmt: skip
    Correction.objects.create(article=made["withdrawn"], text="The strike date was wrong.", created_at=now - 3 * day)
    return {state: Article.objects.get(pk=article.pk) for state, article in made.items()}


def make_demo():
    """The demo as ``make run`` makes it: its content, the site's pictures and pins, the desk's day and its
    correction (the caller turns DEBUG on and gives the demo a ``VAR_DIR``)."""
    for command, *args in (
        ("import_markdown", "demo/content"),
        ("demo_site",),
        ("demo_editor",),
        ("demo_desk",),
        ("demo_live",),
    ):
        call_command(command, *args, stdout=StringIO())


def reader_view(article):
    """Every field of ``article`` a reader can see, as comparable values (library pictures by what they show,
    not by their numbers, which another database gives anew)."""
    lead = article.lead_image
    return {
        "title": article.title, "slug": article.slug, "dek": article.dek, "status": article.status,
        "body_html": re.sub(r"\d+", "N", article.body_html) if "data-image" in article.body_html
        else article.body_html,
        "published_at": article.published_at, "updated_at": article.updated_at, "expires_at": article.expires_at,
        "embargo_until": article.embargo_until, "section": article.section.name if article.section else None,
        "tags": [tag.name for tag in article.tags_shown],
        "bylines": [(b.name, b.role) for b in article.bylines_shown],
        "aliases": sorted(article.aliases.values_list("path", flat=True)),
        "lead_image": (article.lead_image_url, article.lead_image_alt, article.lead_image_caption,
                       article.lead_image_credit, lead and (lead.caption, lead.credit, lead.alt)),
        "corrections": [(c.kind, c.created_at, c.text, c.text_html) for c in article.corrections.all()],
        "withdrawal_note": article.withdrawal_note,
        "url": article.get_absolute_url(),
        "kind": article.kind.name if article.kind else None, "sponsor": article.sponsor,
    }  # fmt: skip
