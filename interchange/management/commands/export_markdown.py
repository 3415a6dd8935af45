from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from interchange import frontmatter_types, liveupdates
from interchange.bundles import picture_names, write_pictures
from interchange.frontmatter import dump, parse_document
from interchange.mapping import SECTION_PAGE, section_folder, to_article_data, to_document
from live.models import Update

NAME_BYTES = 200  # most file systems allow 255 bytes a name; this leaves room for a suffix
# Names Hugo gives a meaning of their own in a folder: its list page, and the page that makes it one page bundle
# (whose other files would be its resources). An article with such a slug is written under a suffix.
RESERVED_NAMES = frozenset({f"{SECTION_PAGE}.md", "index.md"})


def file_name(slug, pk, used):
    """``<slug>.md`` cut to ``NAME_BYTES`` bytes of UTF-8 (whole characters), unique in ``used`` whatever
    the letter case, so that case-insensitive file systems keep every article too."""
    stem = slug.encode()[: NAME_BYTES - 3].decode(errors="ignore").strip("-.") or "article"
    name = f"{stem}.md"
    if name.casefold() in used:
        suffix = f"-{pk}.md"
        name = stem.encode()[: NAME_BYTES - len(suffix)].decode(errors="ignore") + suffix
    used.add(name.casefold())
    return name


def live_updates(article):
    """The updates a live page's bundle holds: every one not deleted, in the order of their ids."""
    if article.live_from is None:
        return []
    return list(
        Update.objects.filter(article=article, deleted_at=None).prefetch_related("authors").order_by("created_at", "pk")
    )


def write_updates(updates, folder):
    """Write each update as ``updates/<id>.md`` in the bundle ``folder``, checked as import reads it, and remove
    update files an earlier export left there for updates deleted since."""
    target = folder / liveupdates.FOLDER
    written = set()
    if updates:
        target.mkdir(exist_ok=True)
    for update in updates:
        name, text = liveupdates.file_name(update), liveupdates.to_document(update)
        try:
            liveupdates.from_document(text.encode("utf-8"), "")
        except ValueError as error:
            raise ValueError(f"update {update.pk}: {error}") from None
        (target / name).write_text(text, encoding="utf-8")
        written.add(name)
    for stale in target.glob("*.md") if target.is_dir() else []:
        if stale.name not in written:
            stale.unlink()


def refuse_unimportable(text, name):
    """Raise FrontMatterError for a file that import would refuse (over a size limit, a field it cannot read), so
    that export reports such an article instead of writing it."""
    raw = text.encode("utf-8")
    meta, body = parse_document(raw)
    frontmatter_types.check(meta, raw)
    to_article_data(meta, body, name)


class Command(BaseCommand):
    help = (
        "Write every article as a Hugo-compatible Markdown file with YAML front matter; an article with "
        "library pictures or live updates as a page bundle (<slug>/index.md with its pictures and updates/ beside "
        "it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, directory, **options):
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        articles = (
            Article.objects.with_bylines()
            .select_related("section", "kind")
            .prefetch_related("aliases", "corrections")
            .order_by("pk")
        )
        count, failed, used, sections = 0, 0, {}, {}
        # Chunked iteration keeps memory flat while prefetching each chunk's bylines and tags.
        for article in articles.iterator(chunk_size=500):
            # An article in a section goes in the section's folder, as Hugo files them (see section_folder).
            folder = section_folder(article)
            name = file_name(article.slug, article.pk, used.setdefault(folder, set(RESERVED_NAMES)))
            if folder:
                name = f"{folder}/{name}"
                sections[folder] = article.section.name
            try:
                pictures = article.bundled_pictures
                names = picture_names(pictures)
                updates = live_updates(article)
                if pictures or updates:  # a page bundle: <slug>/index.md with the pictures and updates beside it
                    name = f"{name[: -len('.md')]}/index.md"
                text = to_document(
                    article,
                    article.bylines.all(),
                    [tag.name for tag in article.tags_shown],
                    [alias.path for alias in article.aliases.all()],
                    files=names,
                )
                refuse_unimportable(text, name)
                (out / name).parent.mkdir(parents=True, exist_ok=True)
                write_pictures(pictures, names, (out / name).parent)
                write_updates(updates, (out / name).parent)
                (out / name).write_text(text, encoding="utf-8")
            except (OSError, ValueError) as error:  # one article never stops the others
                failed += 1
                self.stderr.write(f"not written: article {article.pk} ({name}): {error}")
                continue
            count += 1
        for folder, section_name in sections.items():  # Hugo's page of the folder, whose title names the section
            (out / folder).mkdir(parents=True, exist_ok=True)
            (out / folder / f"{SECTION_PAGE}.md").write_text(dump({"title": section_name}, ""), encoding="utf-8")
        self.stdout.write(f"Exported {count} article(s) to {out}")
        if failed:
            raise CommandError(f'{failed} article(s) could not be exported (see "not written" above)')
