"""Import Hugo-style Markdown files into articles, one transaction per file."""

import io
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils.text import slugify
from PIL import Image, UnidentifiedImageError

from . import hugo
from .models import Article, ArticleAlias, Author, Byline, unique_slug

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
    """(file, root) pairs: files as given, folders searched recursively for Markdown."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += [(p, path) for p in sorted(path.rglob("*")) if p.suffix.lower() in SUFFIXES and p.is_file()]
        else:
            found.append((path, path.parent))
    return found


class Importer:
    def __init__(self, *, as_draft=False, dry_run=False, fetch_images=False):
        self.as_draft, self.dry_run, self.fetch_images = as_draft, dry_run, fetch_images
        self._authors = {}  # committed authors by folded name, so each is looked up once a run
        self._slugs = {}  # slug -> file that claimed it in this run

    def import_file(self, path, root):
        try:
            if not path.is_file():
                raise hugo.FrontMatterError("no such file")
            if path.stat().st_size > hugo.MAX_FILE_BYTES:
                raise hugo.FrontMatterError(f"file is over the {hugo.MAX_FILE_BYTES:,}-byte limit")
            meta, body = hugo.parse_document(path.read_bytes())
            if not meta and path.suffix.lower() == ".txt" and path.parent != root:
                return Outcome(path, "skipped", "no front matter")
            data = hugo.to_article_data(meta, body, path.name, as_draft=self.as_draft)
            source_key = path.relative_to(root).as_posix() if path != root else path.name
            with transaction.atomic():
                result = self.write(data, source_key)
                if self.dry_run:
                    transaction.set_rollback(True)
            return Outcome(path, result)
        except hugo.FrontMatterError as error:
            return Outcome(path, "failed", str(error), error.line)
        except OSError as error:
            return Outcome(path, "failed", f"cannot read: {error.strerror or error}")
        except (DatabaseError, ValueError, TypeError) as error:
            return Outcome(path, "failed", f"{type(error).__name__}: {error}")

    def write(self, data, source_key):
        fields = data.fields
        slug = fields["slug"] = slugify(fields["slug"], allow_unicode=True)[:200]
        article = Article.objects.filter(source_key=source_key).first() if source_key else None
        if article is None and slug:
            article = Article.objects.filter(slug=slug).first()
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

        Byline.objects.filter(article=article).delete()
        Byline.objects.bulk_create(
            Byline(article=article, author=self._author(name), role=role, position=position)
            for position, (name, role) in enumerate(data.authors)
        )
        article.tags.set(data.tags, clear=True)
        ArticleAlias.objects.filter(article=article).exclude(path__in=aliases).delete()
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

    def _author(self, name):
        key = name.casefold()
        if key not in self._authors:
            author, created = Author.objects.get_or_create_by_name(name)
            if created:
                transaction.on_commit(lambda: self._authors.setdefault(key, author))
            else:
                self._authors[key] = author
            return author
        return self._authors[key]

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
