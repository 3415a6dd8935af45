"""New articles written a window at a time: the files that create an article with nothing in the way, inserted
with their history, bylines, tags, aliases and corrections in a few statements.

A bulk import writes thousands of rows; Django's bulk_create builds and compiles a model instance per row,
which cost more than rendering the articles.
"""

from typing import NamedTuple

from django.db import connections, router
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleAlias, ArticleImage, Byline, TaggedArticle
from interchange import corrections
from interchange.mapping import ArticleData
from interchange.preparing import Outcome
from pagecache.registry import bulk_written


class NewArticle(NamedTuple):
    """A prepared file that creates an article: where it came from, what it says, its slug and own address."""

    source_key: str
    data: ArticleData
    slug: str
    own_path: str


def insert_rows(model, attnames, rows):
    """INSERT rows of database values for the fields named by `attnames` in one statement: COPY on
    PostgreSQL, executemany elsewhere.

    Only quoted identifiers from the model's own metadata are formatted into the statement; the values are
    parameters.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    target = "{} ({})".format(
        quote(model._meta.db_table), ", ".join(quote(model._meta.get_field(name).column) for name in attnames)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:  # triggers still run
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(attnames))})", rows)  # noqa: S608


def insert_articles(articles):
    """INSERT new articles as save() would, give each instance its primary key (found again by slug, which
    is unique), and record their first revision through django-simple-history (returned)."""
    connection = connections[router.db_for_write(Article)]
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    rows = [[f.get_db_prep_save(f.pre_save(article, True), connection) for f in fields] for article in articles]
    insert_rows(Article, [f.attname for f in fields], rows)
    pks = dict(Article.objects.filter(slug__in=[a.slug for a in articles]).values_list("slug", "pk"))
    for article in articles:
        article.pk, article._state.adding, article._state.db = pks[article.slug], False, connection.alias
    return Article.history.bulk_history_create(articles, default_date=timezone.now(), default_change_reason=None)


def new_articles(items, slugs, rows):
    """{index: NewArticle} of the prepared ``items`` ((path, Prepared or Outcome) pairs) that create a new
    article with nothing in the way: no article has their source or slug, no old address is their slug, no
    earlier file claimed the slug (``slugs``: slug -> the file that claimed it this run), any kind of work
    they name exists (``rows``: NamedRows)."""
    candidates = {}
    for index, (_path, prepared) in enumerate(items):
        if isinstance(prepared, Outcome):
            continue
        source_key, data = prepared
        slug = slugify(data.fields["slug"], allow_unicode=True)[:200]
        if data.pictures or data.updates or (data.kind and not rows.known_kind(data.kind)):
            # its pictures go into the library first, its updates to a stream, its unknown kind is reported: one by one
            candidates[index] = None
        elif slug and slugs.setdefault(slug, source_key) == source_key:
            candidates[index] = NewArticle(source_key, data, slug, ArticleAlias.path_for_slug(slug))
        else:
            candidates[index] = None  # written one by one, which reports the clash or makes a slug
    found = [candidate for candidate in candidates.values() if candidate]
    taken = set()
    for source_key, slug in Article.objects.filter(
        Q(source_key__in=[c.source_key for c in found]) | Q(slug__in=[c.slug for c in found])
    ).values_list("source_key", "slug"):
        taken |= {("key", source_key), ("slug", slug)}
    aliased = set(ArticleAlias.objects.filter(path__in=[c.own_path for c in found]).values_list("path", flat=True))
    return {
        index: candidate
        for index, candidate in candidates.items()
        if candidate
        and ("key", candidate.source_key) not in taken
        and ("slug", candidate.slug) not in taken
        and candidate.own_path not in aliased
    }


def create(fresh, rows):
    """Insert the new articles ``fresh`` ({index: NewArticle}) with their history, bylines, tags, aliases and
    corrections in a few statements; ``rows`` (NamedRows) gives their sections, authors and tags."""
    articles = []
    for new in fresh.values():
        article = Article(
            **{**new.data.fields, "slug": new.slug},
            section=rows.section(new.data.section),
            kind=rows.kind(new.data.kind),
            source_key=new.source_key,
        )
        article.version = article.imported_version = 1
        article.prepare_for_write()
        articles.append(article)
    revisions = insert_articles(articles)
    # New articles: no correction shows a picture yet.
    ArticleImage.record([article for article in articles if "data-image=" in article.body_html], corrections_html={})
    bylines, tagged, aliases, claimed = [], [], [], {}
    for article, new in zip(articles, fresh.values(), strict=True):
        bylines += [
            (article.pk, rows.author(name).pk, role, position) for position, (name, role) in enumerate(new.data.authors)
        ]
        tagged += [(article.pk, tag.pk) for tag in rows.tags(new.data.tags)]
        for path in sorted({ArticleAlias.normalize(a) for a in new.data.aliases} - {new.own_path}):
            claimed.setdefault(path, (article, new.data))
    existing = dict(ArticleAlias.objects.filter(path__in=claimed).values_list("path", "article_id"))
    for path, (article, data) in claimed.items():
        if path in existing:
            data.notes.append(f"alias {path} already redirects to another article (id {existing[path]}); left there")
        else:
            aliases.append(ArticleAlias(path=path, article=article))
    insert_rows(Byline, ["article_id", "author_id", "role", "position"], bylines)
    insert_rows(TaggedArticle, ["content_object_id", "tag_id"], tagged)
    ArticleAlias.objects.bulk_create(aliases, batch_size=500)
    corrections.add((article, new.data.corrections) for article, new in zip(articles, fresh.values(), strict=True))
    Article.record_credits_in(revisions)
    bulk_written(Article, objs=articles)  # the INSERTs above are raw SQL, which no signal sees: purged as saved
