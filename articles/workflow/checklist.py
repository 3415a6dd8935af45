"""The publish checklist: what an article needs before the desk reads it (``text_problems``) and before it goes
out (``publish_problems``), and what the desk is told without being stopped (``picture_warnings``)."""

import html

from django.utils.formats import date_format
from django.utils.html import strip_tags

from articles.markup import figures
from articles.models import Image, site_today


def text_problems(article):
    """What a story needs before the desk reads it: a headline, a dek and a body. Submitting for review asks
    this much; bylines, pictures and their alt text can still be settled in review, and publishing asks for
    them too (``publish_problems``)."""
    problems = []
    if not shows_anything(article.title):
        problems.append("a headline")
    if not shows_anything(article.dek):
        problems.append("a dek (the summary under the headline)")
    if not shows_anything(article.body):
        problems.append("a body")
    return problems


def shows_anything(text):
    """Whether ``text`` shows readers a character: not only spaces, zero-width and other invisible characters,
    entities for them, or HTML comments and tags."""
    return any(char.isprintable() and not char.isspace() for char in html.unescape(strip_tags(text)))


def publish_problems(article):
    """What must be fixed before the article can go out; empty when it is ready."""
    problems = text_problems(article)
    if article.pk is None or not article.bylines.exists():
        problems.append("at least one byline")
    if (article.lead_image_id or article.lead_image_url) and not article.lead_alt.strip():
        problems.append("alt text for the lead image")
    problems += [figures.unshown_picture(address, "in the body") for address in figures.unshown(article.body_html)]
    shown = figures.references(article.body_html)
    pictures = Image.objects.in_bulk([number for number, _ in shown])
    for number, alt in shown:
        if number not in pictures:
            problems.append(f"picture #{number} in the body (it is not in the media library)")
        elif not alt.strip() and not pictures[number].alt.strip():
            problems.append(f"alt text for picture #{number} in the body")
    return problems


def picture_warnings(article):
    """What readers will not see although the article shows it: pictures whose rights have expired."""
    today = site_today()
    numbers = figures.referenced_ids(article.body_html)
    if article.lead_image_id:
        numbers.insert(0, article.lead_image_id)
    expired = Image.objects.filter(pk__in=numbers).rights_expired(today).order_by("pk")
    return [
        f"picture #{image.pk}'s rights expired on {date_format(image.rights_expire_on, 'DATE_FORMAT')}: readers do "
        "not see it"
        for image in expired
    ]
