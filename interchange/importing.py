"""Import Hugo-style Markdown files into articles.

Files are read, parsed and rendered in worker processes (``preparing``); the main process writes. New
articles are written a window at a time, in one transaction with bulk inserts (``bulkwrite``); a file that
updates an existing article, or a window whose bulk write fails, is written one file per transaction, so that
a file's problem is that file's alone: reported with its path, and nothing of it half-written.
"""

import logging
import multiprocessing
import os
from collections import deque

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from articles.media import renditions
from articles.models import Article, ArticleAlias, Byline, SiteSettings, TaggedArticle, site_host, unique_slug
from articles.models.site import Check
from interchange import bulkwrite, bundles, corrections, livewrite, pictures
from interchange.frontmatter import FrontMatterError
from interchange.namedrows import NamedRows
from interchange.preparing import FileTask, Outcome, prepare

logger = logging.getLogger(__name__)

# An existing article's place in the workflow belongs to the newsroom: importing never changes these.
WORKFLOW_FIELDS = ("status", "published_at", "expires_at", "embargo_until")


class Importer:
    """One import run: files prepared (in worker processes when there are many), then written in order."""

    PARALLEL_FROM = 200  # files; below this, starting worker processes costs more than it saves
    WINDOW = 256  # files prepared ahead of the writer, which bounds memory whatever the import's size
    FIRST_WINDOW = 32

    def __init__(self, *, as_draft=False, dry_run=False, fetch_images=False, force=False, workers=None):
        self.as_draft, self.dry_run, self.fetch_images, self.force = as_draft, dry_run, fetch_images, force
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self.site_host = site_host()  # bodies are rendered in workers without the database
        self.rows = NamedRows()  # authors, sections and tags, each looked up once a run
        self._slugs = {}  # slug -> file that claimed it in this run

    def run(self, files):
        """Import FoundFiles (``preparing.find_files``) in order, yielding an Outcome for each."""
        tasks = [
            FileTask(found.path, found.root, found.named, self.as_draft, self.site_host, found.section_name)
            for found in files
        ]
        if self.workers < 2 or len(tasks) < self.PARALLEL_FROM:
            for start in range(0, len(tasks), self.WINDOW):
                window = tasks[start : start + self.WINDOW]
                yield from self.store_many([(task.path, prepare(task)) for task in window])
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
        yield from self.store_many([(task.path, prepared) for task, prepared in zip(window, result.get(), strict=True)])

    def store_many(self, items):
        """Write prepared files in order: new articles together, the rest one by one. Yields Outcomes."""
        fresh = {} if self.dry_run or self.fetch_images else bulkwrite.new_articles(items, self._slugs, self.rows)
        if fresh:
            try:
                with transaction.atomic():
                    bulkwrite.create(fresh, self.rows)
            except Exception:  # noqa: BLE001 - the files are written again one by one, each reporting its own
                logger.warning("bulk import of %d files failed; writing them one by one", len(fresh), exc_info=True)
                fresh = {}
                self.rows.forget()
        for index, (path, prepared) in enumerate(items):
            yield (
                Outcome(path, "created", notes=[*prepared.data.notes, *self.unmet(prepared.data)])
                if index in fresh
                else self.store(path, prepared)
            )

    def unmet(self, data):
        """What a published file lacks that the publish checklist requires of its kind of work: an import takes
        the article as the file says (it is what the site published, not the desk publishing it now), and the
        desk is told what to fix."""
        site = SiteSettings.current()
        if data.fields["status"] != Article.Status.PUBLISHED:
            return []
        kind = self.rows.kind(data.kind) if data.kind and self.rows.known_kind(data.kind) else None
        if not data.kind and site.requires(Check.KIND):
            return ["published without a kind of work, which the publish checklist requires: choose one in the admin"]
        if kind is not None and kind.sponsored and not data.fields["sponsor"] and site.requires(Check.SPONSOR):
            required = f"which the publish checklist requires of “{kind.name}”"
            return [f"published without a sponsor, {required}: name it in the admin"]
        return []

    def store(self, path, prepared):
        """Write one prepared file in its own transaction; any failure is that file's, reported, and undone."""
        if isinstance(prepared, Outcome):
            return prepared
        source_key, data = prepared
        notes = list(data.notes)
        written = []  # image files stored for this file, removed again if its transaction does not commit
        try:
            downloads = self._download(data, source_key, notes)
            with transaction.atomic():
                result = self.write(data, source_key, downloads, notes, written)
                if self.dry_run:
                    transaction.set_rollback(True)
        except FrontMatterError as error:
            renditions.delete_files(written)
            return Outcome(path, "failed", str(error), error.line)
        except Exception as error:  # noqa: BLE001 - one file's problem is reported, and the run goes on
            renditions.delete_files(written)
            logger.warning("import of %s failed", path, exc_info=True)
            return Outcome(path, "failed", f"{type(error).__name__}: {str(error)[:300]}")
        return Outcome(path, result, notes=notes + (self.unmet(data) if result in ("created", "updated") else []))

    def _kept(self, article):
        """Whether an existing article is left as it is: edited in the newsroom since it was imported (or never
        imported), and the import not forced. The newsroom's version wins."""
        return article.imported_version != article.version and not self.force

    def _find(self, source_key, slug):
        """The article a file updates: by where it came from, else by its slug."""
        matches = Article.objects.filter(Q(source_key=source_key) | Q(slug=slug) if slug else Q(source_key=source_key))
        return min(matches[:2], key=lambda a: a.source_key != source_key, default=None)

    def _download(self, data, source_key, notes):
        """{address: file} of the lead image and the body's remote pictures, when asked to fetch them and the
        import will write the file (``pictures.download``). Downloads happen before the file's transaction
        opens: a slow host never holds rows locked."""
        urls = pictures.remote_addresses(data)
        if not self.fetch_images or not urls:
            return {}
        existing = self._find(source_key, slugify(data.fields["slug"], allow_unicode=True)[:200])
        if existing is not None and self._kept(existing):
            return {}  # the import will leave it alone
        return pictures.download(urls, dry_run=self.dry_run, notes=notes)

    def write(self, data, source_key, downloads, notes, written):
        fields = dict(
            data.fields, kind=self.rows.kind(data.kind, data.kind_line), section=self.rows.section(data.section)
        )
        slug = fields["slug"] = slugify(fields["slug"], allow_unicode=True)[:200]
        article = self._find(source_key, slug)
        if article is None:
            article = Article()
            fields["slug"] = slug or unique_slug(Article, fields["title"])
        elif not slug:
            fields["slug"] = article.slug
        claimed = self._slugs.setdefault(fields["slug"], source_key)
        if claimed != source_key:
            raise FrontMatterError(f"slug {fields['slug']!r} is also used by {claimed}")
        if owner := ArticleAlias.owner_of_slug(fields["slug"], exclude=article.pk):
            raise FrontMatterError(
                f"slug {fields['slug']!r} is an old address of “{owner.title}” (id {owner.pk}), which redirects there"
            )

        created = article.pk is None
        if not created:
            if self._kept(article):
                return "kept"
            for name in WORKFLOW_FIELDS:
                fields.pop(name)
        library = pictures.add_to_library(
            data, downloads, fetch_images=self.fetch_images, dry_run=self.dry_run, notes=notes, written=written
        )
        self._use_library(fields, library, data)
        own_path = ArticleAlias.path_for_slug(fields["slug"])
        aliases = sorted({ArticleAlias.normalize(a) for a in data.aliases} - {own_path})
        if not created and self._unchanged(article, fields, data, aliases):
            return "updated" if livewrite.store(article, data.updates, self.rows, notes) else "unchanged"
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
            Byline(article=article, author=self.rows.author(name), role=role, position=position)
            for position, (name, role) in enumerate(data.authors)
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=article, tag=tag) for tag in self.rows.tags(data.tags)
        )
        for path in aliases:
            alias, made = ArticleAlias.objects.get_or_create(path=path, defaults={"article": article})
            if not made and alias.article_id != article.pk:
                notes.append(f"alias {path} already redirects to another article (id {alias.article_id}); left there")
        corrections.add([(article, corrections.missing(article, data.corrections))])
        article.record_credits()
        livewrite.store(article, data.updates, self.rows, notes)
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
        fields["body"] = bundles.refer_to_library(
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
            and not corrections.missing(article, data.corrections)
        )
