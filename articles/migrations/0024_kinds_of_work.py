from django.db import migrations

KINDS = [
    ("News", "news", "NewsArticle", False, "Reporting of facts the newsroom has verified."),
    (
        "Analysis",
        "analysis",
        "AnalysisNewsArticle",
        False,
        "Interpretation of the news by a specialist, based on facts.",
    ),
    ("Opinion", "opinion", "OpinionNewsArticle", False, "The author's own view, argued from facts."),
    ("Review", "review", "ReviewNewsArticle", False, "A critic's assessment of a work, a product or a performance."),
    ("Explainer", "explainer", "BackgroundNewsArticle", False, "Background and context for a story in the news."),
    ("Sponsored", "sponsored", "AdvertiserContentArticle", True, "Paid for by the sponsor named above the headline."),
]


def add_kinds(apps, schema_editor):
    KindOfWork = apps.get_model("articles", "KindOfWork")
    for position, (name, slug, schema_type, sponsored, description) in enumerate(KINDS):
        if not KindOfWork.objects.filter(slug=slug).exists():
            KindOfWork.objects.create(
                name=name, slug=slug, schema_type=schema_type, sponsored=sponsored, description=description,
                position=position * 10,
            )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("articles", "0023_trust_and_discovery")]

    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
