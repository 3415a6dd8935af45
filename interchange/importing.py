"""Import Hugo-style Markdown files into articles.

Files are read, parsed and rendered in worker processes; the main process writes. New articles are
written a window at a time, in one transaction with bulk inserts; a file that updates an existing
article, or a window whose bulk write fails, is written one file per transaction, so that a file's
problem is that file's alone: reported with its path, and nothing of it half-written.
"""

import logging
import multiprocessing
import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from articles.markup import markdown as markup
from articles.media import renditions as images
from articles.models import (
    Article,
    ArticleAlias,
    ArticleImage,
    Author,
    Byline,
    Image,
    Section,
    TaggedArticle,
    site_host,
    unique_slug,
)
from interchange import fetching, frontmatter_types, hugo
from pagecache import pages as cache

logger = logging.getLogger(__name__)

SUFFIXES = {".md", ".markdown", ".txt"}
# An existing article's place in the workflow belongs to the newsroom: importing never changes these.
WORKFLOW_FIELDS = ("status", "published_at", "expires_at", "embargo_until")


@dataclass
class Outcome:
    path: Path
    result: str  # created, updated, unchanged, kept, skipped or failed
    reason: str = ""
    line: int | None = None
    notes: list = field(default_factory=list)

    def __str__(self):
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.reason}" if self.reason else f"{where}: {self.result}"


def find_files(paths):
    """(file, root, named) triples: files as given, folders searched recursively for Markdown."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += [(p, path, False) for p in sorted(path.rglob("*")) if p.suffix.lower() in SUFFIXES and p.is_file()]
        else:
            found.append((path, path.parent, True))
    return found


def prepare(task):
    """Read, parse, map and render one file; no database. Runs in worker processes on large imports.

    Returns (source_key, ArticleData) or an Outcome for a file that failed or was skipped.
    """
    path, root, named, as_draft, site_host = task
    raw = b""
    try:
        if not path.is_file():
            raise hugo.FrontMatterError("no such file")
        if path.stat().st_size > hugo.MAX_FILE_BYTES:
            raise hugo.FrontMatterError(f"file is over the {hugo.MAX_FILE_BYTES:,}-byte limit")
        raw = path.read_bytes()
        meta, body = hugo.parse_document(raw)
        frontmatter_types.check(meta, raw)
        if not meta and path.suffix.lower() == ".txt" and not named:
            return Outcome(path, "skipped", "no front matter")
        relative = path.relative_to(root).as_posix()
        data = hugo.to_article_data(meta, body, relative, as_draft=as_draft, folder=hugo.content_folder(relative))
        fields = data.fields
        data.pictures, data.remote, data.resources = hugo.find_pictures(
            meta, fields["body"], fields["lead_image_url"], path.parent, root
        )
        if message := markup.size_error(fields["body"]):
            raise hugo.FrontMatterError(f"body: {message}")
        fields["body_html"], fields["body_html_key"] = Article.rendering(
            fields["body"], fields["title"], fields["lead_image_url"], site_host=site_host
        )
    except hugo.FrontMatterError as error:
        line = error.line or (error.field and frontmatter_types.line_of(raw, error.field))
        return Outcome(path, "failed", str(error), line)
    except OSError as error:
        return Outcome(path, "failed", f"cannot read: {error.strerror or error}")
    except Exception as error:  # noqa: BLE001 - one file's problem is reported, and the run goes on
        logger.exception("import of %s failed", path)
        return Outcome(path, "failed", f"cannot import: {type(error).__name__}: {str(error)[:200]}")
    return relative, data


def _insert_rows(model, attnames, rows):
    """INSERT rows of database values for the fields named by `attnames` in one statement: COPY on
    PostgreSQL, executemany elsewhere.

    A bulk import writes thousands of rows; Django's bulk_create builds and compiles a model instance per
    row, which cost more than rendering the articles. Only quoted identifiers from the model's own
    metadata are formatted into the statement; the values are parameters.
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


def _insert_articles(articles):
    """INSERT new articles as save() would, give each instance its primary key (found again by slug, which
    is unique), and record their first revision through django-simple-history (returned)."""
    connection = connections[router.db_for_write(Article)]
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    rows = [[f.get_db_prep_save(f.pre_save(article, True), connection) for f in fields] for article in articles]
    _insert_rows(Article, [f.attname for f in fields], rows)
    pks = dict(Article.objects.filter(slug__in=[a.slug for a in articles]).values_list("slug", "pk"))
    for article in articles:
        article.pk, article._state.adding, article._state.db = pks[article.slug], False, connection.alias
    return Article.history.bulk_history_create(articles, default_date=timezone.now(), default_change_reason=None)


class Importer:
    PARALLEL_FROM = 200  # files; below this, starting worker processes costs more than it saves
    WINDOW = 256  # files prepared ahead of the writer, which bounds memory whatever the import's size
    FIRST_WINDOW = 32

    def __init__(self, *, as_draft=False, dry_run=False, fetch_images=False, force=False, workers=None):
        self.as_draft, self.dry_run, self.fetch_images, self.force = as_draft, dry_run, fetch_images, force
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.site_host = site_host()  # bodies are rendered in workers without the database
        self._authors = {}  # committed authors by folded name, so each is looked up once a run
        self._tag_cache = {}
        self._sections = {}
        self._slugs = {}  # slug -> file that claimed it in this run

    def run(self, files):
        """Import (path, root, named) triples in order, yielding an Outcome for each."""
        tasks = [(path, root, named, self.as_draft, self.site_host) for path, root, named in files]
        if self.workers < 2 or len(tasks) < self.PARALLEL_FROM:
            for start in range(0, len(tasks), self.WINDOW):
                window = tasks[start : start + self.WINDOW]
                yield from self.store_many([(task[0], prepare(task)) for task in window])
            return
        # Forked workers inherit the database connection but never use it; they end with os._exit,
        # so nothing of it is closed or sent from their side.
        with multiprocessing.get_context("fork").Pool(self.workers) as pool:
            # Two windows are prepared ahead of the one being written, which keeps the workers busy while
            # bounding memory. The first windows are small, so that writing starts early.
            pending, start, size = deque(), 0, self.FIRST_WINDOW
            while start < len(tasks) or pending:
                while start < len(tasks) and len(pending) < 2:
                    window = tasks[start : start + size]
                    pending.append((window, pool.map_async(prepare, window, chunksize=max(1, len(window) // 8))))
                    start, size = start + len(window), min(size * 2, self.WINDOW)
                yield from self._store_window(*pending.popleft())

    def _store_window(self, window, result):
        yield from self.store_many([(task[0], prepared) for task, prepared in zip(window, result.get(), strict=True)])

    def store_many(self, items):
        """Write prepared files in order: new articles together, the rest one by one. Yields Outcomes."""
        fresh = {} if self.dry_run or self.fetch_images else self._fresh(items)
        if fresh:
            try:
                with transaction.atomic():
                    self._create(fresh)
                    cache.invalidate()
            except Exception:  # noqa: BLE001 - the files are written again one by one, each reporting its own
                logger.warning("bulk import of %d files failed; writing them one by one", len(fresh), exc_info=True)
                fresh = {}
                # Authors and tags found inside the rolled-back transaction may be gone with it.
                self._authors.clear()
                self._tag_cache.clear()
                self._sections.clear()
        for index, (path, prepared) in enumerate(items):
            yield (
                Outcome(path, "created", notes=list(prepared[1].notes))
                if index in fresh
                else self.store(path, prepared)
            )

    def _fresh(self, items):
        """{index: (source_key, data, slug, path)} of the files that create a new article with nothing in the way: no
        article has their source or slug, no old address is their slug, no earlier file claimed the slug."""
        candidates = {}
        for index, (_path, prepared) in enumerate(items):
            if isinstance(prepared, Outcome):
                continue
            source_key, data = prepared
            slug = slugify(data.fields["slug"], allow_unicode=True)[:200]
            if data.pictures:
                candidates[index] = None  # its pictures go into the library first: written by store()
            elif slug and self._slugs.setdefault(slug, source_key) == source_key:
                candidates[index] = (source_key, data, slug, ArticleAlias.path_for_slug(slug))
            else:
                candidates[index] = None  # written by store(), which reports the clash or makes a slug
        keys = [c[0] for c in candidates.values() if c]
        slugs = [c[2] for c in candidates.values() if c]
        taken = set()
        for source_key, slug in Article.objects.filter(Q(source_key__in=keys) | Q(slug__in=slugs)).values_list(
            "source_key", "slug"
        ):
            taken |= {("key", source_key), ("slug", slug)}
        paths = [c[3] for c in candidates.values() if c]
        aliased = set(ArticleAlias.objects.filter(path__in=paths).values_list("path", flat=True))
        return {
            index: candidate
            for index, candidate in candidates.items()
            if candidate
            and ("key", candidate[0]) not in taken
            and ("slug", candidate[2]) not in taken
            and candidate[3] not in aliased
        }

    def _create(self, fresh):
        """Insert new articles with their history, bylines, tags and aliases in a few statements."""
        articles = []
        for source_key, data, slug, _path in fresh.values():
            article = Article(
                **{**data.fields, "slug": slug}, section=self._section(data.section), source_key=source_key
            )
            article.version = article.imported_version = 1
            article.prepare_for_write()
            articles.append(article)
        revisions = _insert_articles(articles)
        ArticleImage.record([article for article in articles if "data-image=" in article.body_html])
        bylines, tagged, aliases, claimed = [], [], [], {}
        for article, (_key, data, _slug, own_path) in zip(articles, fresh.values(), strict=True):
            bylines += [
                (article.pk, self._author(name).pk, role, position)
                for position, (name, role) in enumerate(data.authors)
            ]
            tagged += [(article.pk, tag.pk) for tag in self._tags(data.tags)]
            for path in sorted({ArticleAlias.normalize(a) for a in data.aliases} - {own_path}):
                claimed.setdefault(path, (article, data))
        existing = dict(ArticleAlias.objects.filter(path__in=claimed).values_list("path", "article_id"))
        for path, (article, data) in claimed.items():
            if path in existing:
                data.notes.append(
                    f"alias {path} already redirects to another article (id {existing[path]}); left there"
                )
            else:
                aliases.append(ArticleAlias(path=path, article=article))
        _insert_rows(Byline, ["article_id", "author_id", "role", "position"], bylines)
        _insert_rows(TaggedArticle, ["content_object_id", "tag_id"], tagged)
        ArticleAlias.objects.bulk_create(aliases, batch_size=500)
        Article.record_credits_in(revisions)

    def store(self, path, prepared):
        """Write one prepared file in its own transaction; any failure is that file's, reported, and undone."""
        if isinstance(prepared, Outcome):
            return prepared
        source_key, data = prepared
        notes = list(data.notes)
        written = []  # image files stored for this file, removed again if its transaction does not commit
        try:
            # Downloads happen before the transaction opens: a slow host never holds rows locked.
            downloads = self._download(data, source_key, notes)
            with transaction.atomic():
                result = self.write(data, source_key, downloads, notes, written)
                if self.dry_run:
                    transaction.set_rollback(True)
        except hugo.FrontMatterError as error:
            images.delete_files(written)
            return Outcome(path, "failed", str(error), error.line)
        except Exception as error:  # noqa: BLE001 - one file's problem is reported, and the run goes on
            images.delete_files(written)
            logger.warning("import of %s failed", path, exc_info=True)
            return Outcome(path, "failed", f"{type(error).__name__}: {str(error)[:300]}")
        return Outcome(path, result, notes=notes)

    def _kept(self, article):
        """Whether an existing article is left as it is: edited in the newsroom since it was imported (or never
        imported), and the import not forced. The newsroom's version wins."""
        return article.imported_version != article.version and not self.force

    def _find(self, source_key, slug):
        """The article a file updates: by where it came from, else by its slug."""
        matches = Article.objects.filter(Q(source_key=source_key) | Q(slug=slug) if slug else Q(source_key=source_key))
        return min(matches[:2], key=lambda a: a.source_key != source_key, default=None)

    def _download(self, data, source_key, notes):
        """{address: file} of the lead image and the body's remote pictures, downloaded and checked to be
        pictures, when asked to fetch them; a picture the library already took from the same address is not
        downloaded again."""
        lead = data.fields["lead_image_url"]
        urls = [url for url in dict.fromkeys([lead, *data.remote]) if url and urlsplit(url).scheme in ("http", "https")]
        if not self.fetch_images or not urls:
            return {}
        existing = self._find(source_key, slugify(data.fields["slug"], allow_unicode=True)[:200])
        if existing is not None and self._kept(existing):
            return {}  # the import will leave it alone
        known = set(Image.objects.filter(source__in=urls).values_list("source", flat=True))
        downloads = {}
        for url in urls[: hugo.MAX_PICTURES]:
            if url in known:
                continue
            try:
                content = fetching.fetch(
                    url, max_bytes=settings.NEWSROOM_FETCH_MAX_BYTES, timeout=settings.NEWSROOM_FETCH_TIMEOUT_SECONDS
                )
                images.validate_image(ContentFile(content, name="download"))
            except (fetching.FetchError, ValidationError) as error:
                message = error.messages[0] if isinstance(error, ValidationError) else str(error)
                notes.append(f"image not fetched, the address is kept: {message}")
                continue
            if self.dry_run:
                notes.append(f"would fetch the image {url[:200]} ({len(content):,} bytes)")
                continue
            stem = PurePosixPath(urlsplit(url).path).stem[:60] or "image"
            downloads[url] = ContentFile(content, name=f"{stem}.img")
        return downloads

    def _library(self, data, downloads, notes, written):
        """{address: library picture} for the file's local pictures and its downloads, each added to the
        library (cleaned, with renditions) unless the library has the same file already."""
        found = {}
        for address, path in data.pictures.items():
            fields = frontmatter_types.picture_fields(data.resources.get(address, {}))
            if self.dry_run:
                notes.append(f"would add the picture {address} to the library")
                continue
            try:
                with path.open("rb") as handle:
                    image, created = Image.objects.add(File(handle, name=path.name), **fields)
            except (OSError, ValidationError) as error:
                message = error.messages[0] if isinstance(error, ValidationError) else str(error)
                notes.append(f"picture {address} not imported, the address is kept: {message}")
                continue
            if created:
                written += image.files()
            found[address] = image
        for url in dict.fromkeys([data.fields["lead_image_url"], *data.remote]) if self.fetch_images else []:
            if url in downloads:
                image, created = Image.objects.add(downloads[url], source=url[:500])
                if created:
                    written += image.files()
                found[url] = image
            elif url and (image := Image.objects.filter(source=url[:500]).order_by("pk").first()) is not None:
                found[url] = image
        return found

    def write(self, data, source_key, downloads, notes, written):
        fields = dict(data.fields, section=self._section(data.section))
        slug = fields["slug"] = slugify(fields["slug"], allow_unicode=True)[:200]
        article = self._find(source_key, slug)
        if article is None:
            article = Article()
            fields["slug"] = slug or unique_slug(Article, fields["title"])
        elif not slug:
            fields["slug"] = article.slug
        claimed = self._slugs.setdefault(fields["slug"], source_key)
        if claimed != source_key:
            raise hugo.FrontMatterError(f"slug {fields['slug']!r} is also used by {claimed}")
        if owner := ArticleAlias.owner_of_slug(fields["slug"], exclude=article.pk):
            raise hugo.FrontMatterError(
                f"slug {fields['slug']!r} is an old address of “{owner.title}” (id {owner.pk}), which redirects there"
            )

        created = article.pk is None
        if not created:
            if self._kept(article):
                return "kept"
            for name in WORKFLOW_FIELDS:
                fields.pop(name)
        self._use_library(fields, self._library(data, downloads, notes, written), data)
        own_path = ArticleAlias.path_for_slug(fields["slug"])
        aliases = sorted({ArticleAlias.normalize(a) for a in data.aliases} - {own_path})
        if not created and self._unchanged(article, fields, data, aliases):
            return "unchanged"
        for name, value in fields.items():
            setattr(article, name, value)
        article.source_key = source_key
        article.imported_version = article.version + 1  # the version this save writes
        article.save()

        if not created:
            Byline.objects.filter(article=article).delete()
            TaggedArticle.objects.filter(content_object=article).delete()
            ArticleAlias.objects.filter(article=article).exclude(path__in=aliases).delete()
        Byline.objects.bulk_create(
            Byline(article=article, author=self._author(name), role=role, position=position)
            for position, (name, role) in enumerate(data.authors)
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=article, tag=tag) for tag in self._tags(data.tags)
        )
        for path in aliases:
            alias, made = ArticleAlias.objects.get_or_create(path=path, defaults={"article": article})
            if not made and alias.article_id != article.pk:
                notes.append(f"alias {path} already redirects to another article (id {alias.article_id}); left there")
        article.record_credits()
        return "created" if created else "updated"

    def _use_library(self, fields, library, data):
        """Point the lead image and the body's pictures at their library pictures (``library``: address ->
        picture), and render the body again if it changed."""
        if not library:
            return
        lead = fields["lead_image_url"]
        if lead in library:
            fields["lead_image"] = library[lead]
            if lead in data.pictures:
                fields["lead_image_url"] = ""  # a file beside this one: the library has it now
        fields["body"] = hugo.refer_to_library(
            fields["body"], {address: image.pk for address, image in library.items()}
        )
        fields["body_html"], fields["body_html_key"] = Article.rendering(
            fields["body"], fields["title"], fields["lead_image_url"], site_host=self.site_host
        )

    def _unchanged(self, article, fields, data, aliases):
        # body_html is compared through body_html_key (a digest of its sources and the renderer's version),
        # which also tells an old renderer's HTML from this one's.
        if any(getattr(article, name) != value for name, value in fields.items() if name != "body_html"):
            return False
        bylines = [(b.author.name, b.role) for b in article.bylines.select_related("author").order_by("position")]
        # The file's aliases that another article holds stay with it (write() notes them), so they are not missing.
        others = set(
            ArticleAlias.objects.filter(path__in=aliases).exclude(article=article).values_list("path", flat=True)
        )
        return (
            [(n.casefold(), r) for n, r in bylines] == [(n.casefold(), r) for n, r in data.authors]
            and sorted(t.casefold() for t in article.tags.names()) == sorted(t.casefold() for t in data.tags)
            and sorted(article.aliases.values_list("path", flat=True)) == [p for p in aliases if p not in others]
        )

    def _remember(self, cache, key, obj, created):
        # Only what is committed may be reused: a failed file's transaction takes its new rows with it.
        if created:
            transaction.on_commit(lambda: cache.setdefault(key, obj))
        else:
            cache[key] = obj
        return obj

    def _author(self, name):
        key = name.casefold()
        if key in self._authors:
            return self._authors[key]
        return self._remember(self._authors, key, *Author.objects.get_or_create_by_name(name))

    def _section(self, found):
        """The Section for a file's (name, slug), made when there is none."""
        if found is None:
            return None
        name, slug = found
        key = (name.casefold(), slug)
        if key in self._sections:
            return self._sections[key]
        return self._remember(self._sections, key, *Section.objects.get_or_create_by_name(name, slug))

    def _tags(self, names):
        """Tag objects for names, matched case-insensitively (as TAGGIT_CASE_INSENSITIVE does)."""
        tags = []
        for name in names:
            key = name.casefold()
            tag = self._tag_cache.get(key)
            if tag is None:
                tag = Tag.objects.filter(name__iexact=name).first()
                tag = self._remember(self._tag_cache, key, tag or Tag.objects.create(name=name), tag is None)
            tags.append(tag)
        return tags
