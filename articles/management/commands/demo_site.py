import hashlib
import io
import math
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw

from articles.models import Article, Author, Banner, Image, Pin, Section, SiteSettings

SECTIONS = {
    "politics": (1, "The council, the region and the people who run them."),
    "world": (2, "Diplomacy, disasters and elections beyond our borders."),
    "business": (3, "Jobs, wages and the companies that make the local economy."),
    "science": (4, "Health, climate and discovery, explained."),
    "culture": (5, "Theatre, film, books and the places that keep them."),
}
LEAD = "council-approves-night-bus-network"
TOP = ["ceasefire-talks-resume-in-geneva", "port-expansion-wins-final-approval", "glacier-survey-finds-faster-melting",
       "old-theatre-reopens-after-restoration"]  # fmt: skip
PICTURES = {
    LEAD: "A night bus waiting at a stop under street lights",
    "ceasefire-talks-resume-in-geneva": "Delegations' flags outside the conference centre at dusk",
    "port-expansion-wins-final-approval": "Cranes on the southern breakwater at sunrise",
    "old-theatre-reopens-after-restoration": "The theatre's facade lit for the reopening",
    "floods-ease-along-the-river-delta": "Flooded rice fields under a low sky",
    "bakery-chain-raises-wages-above-sector-deal": "Morning light on a row of shop fronts",
    "night-sky-reserve-proposed-for-uplands": "Stars over a dark upland valley",
    "rail-link-across-the-strait-approved": "The strait seen from the northern shore",
    "energy-cooperative-builds-solar-park": "Rows of solar panels on a hillside",
    "poet-laureate-named": "Evening over the harbour district",
    "mayor-opens-consultation-on-car-free-centre": "A quiet street in the old town",
}
# The reporters the demo's stories name: their role, what they cover (a subject a line), a short biography and the
# address readers may write to, as author pages and bylines' JSON-LD show them.
AUTHORS = {
    "jonas-weber": ("Politics editor", "City council\nRegional parliament\nPublic budgets",
                    "Jonas Weber runs the politics desk. He has covered the council chamber for nine years."),
    "lena-hoffmann": ("Science and environment editor", "Climate\nGlaciers\nPublic health\nDiplomacy",
                      "Lena Hoffmann leads the science desk and reports on climate and the region's neighbours."),
    "marta-silva": ("Business reporter", "The port\nLabour and wages\nPublic finance",
                    "Marta Silva reports on the port, the companies around it and the people who work there."),
    "ana-ruiz": ("Reporter", "Local government\nMuseums and theatre\nHousing",
                 "Ana Ruiz reports on the city: its council, its housing and its stages."),
    "samuel-okafor": ("Science reporter", "Health research\nAstronomy\nInternational affairs",
                      "Samuel Okafor writes about research in the region's hospitals and universities."),
    "clara-mendes": ("Columnist", "Urban planning\nTransport",
                     "Clara Mendes writes a column on how the city is built and how it moves. Her views are her own."),
}  # fmt: skip
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"  # the demo's pictures are free of rights: JSON-LD says so
PALETTES = [((21, 37, 71), (233, 150, 98)), ((38, 70, 83), (244, 209, 146)), ((64, 33, 68), (250, 176, 120)),
            ((22, 54, 92), (170, 206, 230)), ((48, 48, 64), (236, 196, 160))]  # fmt: skip


def picture(seed, palette):
    """A landscape in flat colours (sky, sun, three ridges), made here so the demo needs no network."""
    digest = hashlib.blake2b(seed.encode(), digest_size=8).digest()
    top, bottom = PALETTES[palette % len(PALETTES)]
    width, height = 1600, 1000
    image = PillowImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    sun_x, sun_y = 300 + digest[1] * 4, 260 + digest[2]
    draw.ellipse([sun_x - 90, sun_y - 90, sun_x + 90, sun_y + 90], fill=(255, 236, 200))
    for layer in range(3):
        shade = tuple(max(0, round(c * (0.55 - layer * 0.17))) for c in top)
        base = 560 + layer * 150
        phase, amplitude = digest[3 + layer] / 40, 60 + digest[4 + layer] % 60
        points = [(x, base + amplitude * math.sin(x / (180 + layer * 70) + phase)) for x in range(0, width + 20, 20)]
        draw.polygon([(0, height), *points, (width, height)], fill=shade)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return ContentFile(out.getvalue(), name=f"{seed}.jpg")


class Command(BaseCommand):
    help = (
        "Arrange the demo: sections in order with descriptions, pictures for the leading stories, the reporters' "
        "roles, subjects and biographies, a curated front page and a breaking-news banner. Run after importing "
        "demo/content; it changes nothing an editor has already set (development only)."
    )

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("demo_site arranges demo content: it only runs with DJANGO_DEBUG on.")
        with transaction.atomic():
            for slug, (position, description) in SECTIONS.items():
                Section.objects.filter(slug=slug, position=0, description="").update(
                    position=position, description=description
                )
            articles = {a.slug: a for a in Article.objects.filter(slug__in=[LEAD, *TOP, *PICTURES])}
            pictured = 0
            for n, (slug, alt) in enumerate(PICTURES.items()):
                article = articles.get(slug)
                if article is not None and not article.lead_image_id and not article.lead_image_url:
                    article.lead_image, _ = Image.objects.add(
                        picture(slug, n), alt=alt, credit="Illustration: Newsroom demo", licence="CC0", licence_url=CC0
                    )
                    article.save()
                    pictured += 1
            if not Pin.objects.exists() and LEAD in articles:
                Pin.objects.create(article=articles[LEAD], place=Pin.Place.LEAD)
                for position, slug in enumerate(TOP, start=1):
                    if slug in articles:
                        Pin.objects.create(article=articles[slug], position=position)
            if not Banner.objects.live().exists() and TOP[0] in articles:
                Banner.objects.create(
                    text="Live: ceasefire talks resume in Geneva",
                    article=articles[TOP[0]],
                    expires_at=timezone.now() + timedelta(hours=12),
                )
            for author in Author.objects.filter(slug__in=AUTHORS, job_title="", expertise="", bio=""):
                author.job_title, author.expertise, author.bio = AUTHORS[author.slug]
                author.public_email = author.public_email or f"{author.slug.replace('-', '.')}@example.org"
                author.save()
            site = SiteSettings.load()
            if not site.footer_text:
                site.footer_text = "A demonstration of Newsroom: every story here is invented."
                site.contact_email = site.contact_email or "corrections@example.org"
                site.save()
        self.stdout.write(f"Demo arranged: {len(SECTIONS)} sections, {pictured} new picture(s), front page pinned.")
