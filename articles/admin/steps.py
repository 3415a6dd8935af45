"""What the publish step shows before an article goes out, as the saved article would appear: its section and
tags, the lead picture as readers' cards crop it, the share card social sites build from its meta tags, the
checklist's problems and warnings, and when it goes live. The step is built inside the save it is shown for,
which is then undone, so what it holds is plain text and markup, never the article itself.

A refused workflow action names the form fields its reasons concern (``refused_fields``), so each reason can
stand beside its field as well as at the top of the form.
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import format_html

from articles.markup import figures
from articles.models import SiteSettings, site_host
from articles.workflow import checklist, transitions

STEPPED = ("publish", "schedule")  # the actions shown first and made only once confirmed

# Words in a refusal or a checklist problem, and the field it concerns: the first that matches is taken.
FIELD_WORDS = [
    ("alt text for the lead image", "lead_image_alt"),
    ("the lead picture", "lead_image"),
    ("kind of work", "kind"),
    ("a sponsor", "sponsor"),
    ("a dek", "dek"),
    ("a headline", "title"),
    ("in the body", "body"),
    ("a body", "body"),
    ("section", "section"),
    ("embargo", "embargo_until"),
    ("publication time", "published_at"),
    ("public note", "withdrawal_note"),
    ("new lead picture", "lead_image_upload"),
]


def refused_fields(reason, problems):
    """{field: message} for a refused action: each of the checklist's ``problems`` (when the refusal is that
    something is missing) or the ``reason`` itself, beside the field it concerns: the one the checklist names
    (``problems`` as ``problems_for`` gives them), else the one its words say."""
    pieces = problems if reason.startswith("missing ") and problems else [reason]
    fields = {}
    for piece in pieces:
        named = problems.get(piece) if isinstance(problems, dict) else None
        field = named or next((field for words, field in FIELD_WORDS if words in piece), None)
        if field is not None:
            message = f"Needed first: {piece}." if piece in problems else f"{piece[:1].upper()}{piece[1:]}."
            fields.setdefault(field, []).append(message)
    return fields


def problems_for(name, article):
    """What the checklist of action ``name`` finds missing in ``article``: {problem: the form field the checklist
    names for it, or None}. A kind's name or a picture's caption may hold any words, so the field of an item of
    the checklist's ``findings`` is taken from it, not read from its text."""
    transition = transitions.TRANSITIONS.get(name)
    if transition is None:
        return {}
    if transition.needs_checklist:
        going_live = checklist.going_live_for(name, article)
        found = checklist.findings(article, going_live)
        named = {finding.text: finding.field for finding in found}
        problems = checklist.publish_problems(article, going_live, found)
        return {problem: named.get(problem) for problem in problems}
    return dict.fromkeys(checklist.text_problems(article) if transition.needs_text else [])


@dataclass(frozen=True)
class Line:
    """A line of the checklist as the desk reads it, with the address of the picture to fix ("" for none)."""

    text: str
    url: str = ""


def checklist_lines(article, going_live=None):
    """The publish checklist for ``article`` going live at ``going_live``: ``problems`` (what stops it, the
    pictures among them linked to where they are fixed), ``warnings`` (what the site does not require, linked the
    same way) and ``notes`` (what readers will not see)."""
    found = checklist.findings(article, going_live)
    links = {
        finding.text: reverse("admin:articles_image_change", args=[finding.picture.pk])
        for finding in found
        if finding.picture is not None
    }
    problems = checklist.publish_problems(article, going_live, found)
    warnings = checklist.publish_warnings(article, going_live, found)
    return {
        "problems": [Line(text, links.get(text, "")) for text in problems],
        "warnings": [Line(finding.text, links.get(finding.text, "")) for finding in warnings],
        "notes": checklist.picture_warnings(article),
    }


def digest(article, name):
    """Which step the editor was shown: what it showed of the article that a later edit could change."""
    shown = [
        name, article.title, article.dek, article.section_id, sorted(article.tags.names()), article.lead_image_id,
        article.lead_image_url, article.lead_alt,
        article.published_at.isoformat() if name == "schedule" and article.published_at else "",
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(shown, default=str).encode()).hexdigest()[:16]


def social_card(article):
    """The share card social sites build from the article page's meta tags: title, description and image."""
    site = SiteSettings.current()
    card = article.lead_image_renditions.get("social")
    return {
        "title": article.title,
        "description": truncatechars(article.dek or site.tagline, 300),
        "image": default_storage.url(card) if card else article.image_url,
        "host": site_host(),
    }


def card_picture(article):
    """The lead picture as readers' cards show it (the card's 3:2 frame crops it), or "" when it has none."""
    image = article.shown_lead_image
    if image is not None:
        return figures.picture(image, alt=article.lead_alt, sizes="14rem", loading="eager")
    if article.image_url:
        return format_html('<img src="{}" alt="{}">', article.image_url, article.lead_alt)
    return ""


def publish_step(article, name, user):
    """The step shown for action ``name`` (publish or schedule) on ``article`` as just saved by ``user``."""
    transition = transitions.TRANSITIONS[name]
    refusal = transition.refusal(article, user)
    when = article.published_at if name == "schedule" else None
    return {
        "name": name,
        "label": transition.label,
        "title": article.title,
        "section": article.section.name if article.section_id else "",
        "tags": sorted(article.tags.names()),
        "picture": card_picture(article),
        "has_picture": bool(article.image_url),
        "social": social_card(article),
        **checklist_lines(article, checklist.going_live_for(name, article)),
        "when": transitions.shown(when) if when else "",
        "refusal": refusal or "",
        "digest": digest(article, name),
    }
