"""The event log's baseline: every article readers can see when the log begins is recorded as told published
(its snapshot without a digest), announced to nobody. Without it, the next save of an article public for years
would tell webhooks and hubs of a new publication, and the events' sweep would announce every one of them at
once. An article's first save after this is an update, and its deletion names what it was."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from articles.models import states
from articles.models.base import article_path

CHUNK = 2000


def record_baseline(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleEvent = apps.get_model("articles", "ArticleEvent")
    Byline = apps.get_model("articles", "Byline")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    site = apps.get_model("articles", "SiteSettings").objects.first()
    public_url = ((site and site.public_url) or settings.NEWSROOM_SITE_URL).rstrip("/")
    now = timezone.now()
    told = ArticleEvent.objects.values("article_id")
    live = Article.objects.filter(states.live(now)).exclude(pk__in=told).order_by("pk")
    rows = live.values_list("pk", "slug", "title", "section__slug", "published_at")
    last = 0
    while chunk := list(rows.filter(pk__gt=last)[:CHUNK]):
        last = chunk[-1][0]
        pks = [row[0] for row in chunk]
        tags, authors = {pk: [] for pk in pks}, {pk: [] for pk in pks}
        for pk, slug in TaggedArticle.objects.filter(content_object_id__in=pks).values_list(
            "content_object_id", "tag__slug"
        ):
            tags[pk].append(slug)
        for pk, slug in Byline.objects.filter(article_id__in=pks).values_list("article_id", "author__slug"):
            authors[pk].append(slug)
        ArticleEvent.objects.bulk_create(
            ArticleEvent(
                kind="article.published",
                article_id=pk,
                seq=1,
                happened_at=now,
                data={
                    "slug": slug,
                    "title": title,
                    "url": public_url + article_path(slug),
                    "section": section,
                    "tags": sorted(tags[pk]),
                    "authors": sorted(authors[pk]),
                    "published_at": published_at.isoformat() if published_at else None,
                },
            )  # fmt: skip
            for pk, slug, title, section, published_at in chunk
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_article_events")]

    operations = [migrations.RunPython(record_baseline, migrations.RunPython.noop)]
