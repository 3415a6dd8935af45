"""Import Hugo-style Markdown files into articles, one transaction per file."""

import io
import multiprocessing
import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError
from taggit.models import Tag

from . import hugo
from .models import Article, ArticleAlias, Author, Byline, TaggedArticle, unique_slug

SUFFIXES = {".md", ".markdown", ".txt"}
FETCH_TIMEOUT_SECONDS = 10
FETCH_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class Outcome:
    path: Path
    result: str  # created, updated, unchanged, skipped or failed
    reason: str = ""
    line: int | None = None

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
    path, root, named, as_draft = task
    try:
        if not path.is_file():
            raise hugo.FrontMatterError("no such file")
        if path.stat().st_size > hugo.MAX_FILE_BYTES:
            raise hugo.FrontMatterError(f"file is over the {hugo.MAX_FILE_BYTES:,}-byte limit")
        meta, body = hugo.parse_document(path.read_bytes())
        if not meta and path.suffix.lower() == ".txt" and not named:
            return Outcome(path, "skipped", "no front matter")
        data = hugo.to_article_data(meta, body, path.name, as_draft=as_draft)
    except hugo.FrontMatterError as error:
        return Outcome(path, "failed", str(error), error.line)
    except OSError as error:
        return Outcome(path, "failed", f"cannot read: {error.strerror or error}")
    fields = data.fields
    fields["body_html"], fields["body_html_key"] = Article.rendering(
        fields["body"], fields["title"], fields["lead_image_url"]
    )
    return path.relative_to(root).as_posix(), data


class Importer:
    PARALLEL_FROM = 200  # files; below this, starting worker processes costs more than it saves
    WINDOW = 256  # files prepared ahead of the writer, which bounds memory whatever the import's size

    def __init__(self, *, as_draft=False, dry_run=False, fetch_images=False, workers=None):
        self.as_draft, self.dry_run, self.fetch_images = as_draft, dry_run, fetch_images
        self.workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        self._authors = {}  # committed authors by folded name, so each is looked up once a run
        self._tag_cache = {}
        self._slugs = {}  # slug -> file that claimed it in this run

    def run(self, files):
        """Import (path, root, named) triples in order, yielding an Outcome for each."""
        tasks = [(path, root, named, self.as_draft) for path, root, named in files]
        if self.workers < 2 or len(tasks) < self.PARALLEL_FROM:
            for task in tasks:
                yield self.store(task[0], prepare(task))
            return
        # Forked workers inherit the database connection but never use it; they end with os._exit,
        # so nothing of it is closed or sent from their side.
        with multiprocessing.get_context("fork").Pool(self.workers) as pool:
            pending = None
            for start in range(0, len(tasks), self.WINDOW):
                window = tasks[start : start + self.WINDOW]
                ahead = (window, pool.map_async(prepare, window, chunksize=16))
                if pending:
                    yield from self._store_window(*pending)
                pending = ahead
            if pending:
                yield from self._store_window(*pending)

    def _store_window(self, window, result):
        for task, prepared in zip(window, result.get(), strict=True):
            yield self.store(task[0], prepared)

    def store(self, path, prepared):
        if isinstance(prepared, Outcome):
            return prepared
        source_key, data = prepared
        try:
            with transaction.atomic():
                result = self.write(data, source_key)
                if self.dry_run:
                    transaction.set_rollback(True)
            return Outcome(path, result)
        except hugo.FrontMatterError as error:
            return Outcome(path, "failed", str(error), error.line)
        except (DatabaseError, ValueError, TypeError) as error:
            return Outcome(path, "failed", f"{type(error).__name__}: {error}")

    def write(self, data, source_key):
        fields = data.fields
        slug = fields["slug"] = slugify(fields["slug"], allow_unicode=True)[:200]
        # One query finds the article by where it came from, else by its slug.
        matches = Article.objects.filter(Q(source_key=source_key) | Q(slug=slug) if slug else Q(source_key=source_key))
        article = min(matches[:2], key=lambda a: a.source_key != source_key, default=None)
        if article is None:
            article = Article()
            fields["slug"] = slug or unique_slug(Article, fields["title"])
        elif not slug:
            fields["slug"] = article.slug
        claimed = self._slugs.setdefault(fields["slug"], source_key)
        if claimed != source_key:
            raise hugo.FrontMatterError(f"slug {fields['slug']!r} is also used by {claimed}")

        own_path = reverse("articles:article", kwargs={"slug": fields["slug"]})
        aliases = sorted({ArticleAlias.normalize(a) for a in data.aliases} - {own_path})
        if article.pk and self._unchanged(article, data, aliases):
            return "unchanged"
        created = article.pk is None
        for name, value in fields.items():
            setattr(article, name, value)
        article.source_key = source_key
        if self.fetch_images and article.lead_image_url and not article.lead_image:
            self._fetch_lead_image(article)
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
            ArticleAlias.objects.update_or_create(path=path, defaults={"article": article})
        return "created" if created else "updated"

    def _unchanged(self, article, data, aliases):
        if any(getattr(article, name) != value for name, value in data.fields.items()):
            return False
        bylines = [(b.author.name, b.role) for b in article.bylines.select_related("author").order_by("position")]
        return (
            [(n.casefold(), r) for n, r in bylines] == [(n.casefold(), r) for n, r in data.authors]
            and sorted(t.casefold() for t in article.tags.names()) == sorted(t.casefold() for t in data.tags)
            and sorted(article.aliases.values_list("path", flat=True)) == aliases
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

    def _fetch_lead_image(self, article):
        """Download the external lead image into media; on any failure keep the URL alone."""
        url = article.lead_image_url
        if urlsplit(url).scheme not in {"http", "https"}:
            return
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "Newsroom importer"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310
                content = response.read(FETCH_MAX_BYTES + 1)
            if len(content) > FETCH_MAX_BYTES:
                return
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
                extension = (image.format or "").lower().replace("jpeg", "jpg")
        except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
            return
        if extension in {"jpg", "png", "webp", "gif"}:
            article.lead_image.save(f"{article.slug[:80]}.{extension}", ContentFile(content), save=False)
