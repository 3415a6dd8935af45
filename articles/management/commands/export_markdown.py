from pathlib import Path

from django.core.management.base import BaseCommand

from articles.hugo import to_document
from articles.models import Article


class Command(BaseCommand):
    help = "Write every article as a Hugo-compatible Markdown file with YAML front matter."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, directory, **options):
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        articles = Article.objects.with_bylines().prefetch_related("aliases").order_by("pk")
        count = 0
        # Chunked iteration keeps memory flat while prefetching each chunk's bylines and tags.
        for article in articles.iterator(chunk_size=500):
            text = to_document(
                article,
                article.bylines.all(),
                [tag.name for tag in article.tag_list],
                [alias.path for alias in article.aliases.all()],
            )
            (out / f"{article.slug}.md").write_text(text, encoding="utf-8")
            count += 1
        self.stdout.write(f"Exported {count} article(s) to {out}")
