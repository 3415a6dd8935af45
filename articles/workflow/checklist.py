"""The publish checklist: what an article needs before the desk reads it (``text_problems``) and before it goes
out (``publish_problems``), and what the desk is told without being stopped (``publish_warnings``,
``picture_warnings``).

Beyond what is always required (a headline, a dek, a body, a byline, alt text), the checklist looks for the items
of ``Check`` (``findings``): a picture without a credit or a licence, or whose rights end before the article could
be read; no kind of work; a headline longer than the site's limit; a sponsored piece naming no sponsor. The site
settings' ``required_checks`` say which of them stop a publication; the others warn. Scheduling is publishing:
it is judged at the time the article is to go live.
"""

import datetime
import html
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags

from articles.markup import figures
from articles.models import Image, SiteSettings, site_today
from articles.models.site import Check

# A picture whose rights end within this many days of the article going live is one its readers would lose while
# they still read it (most of a news article's readers come in its first week); rights ending after the article
# itself expires are enough, however soon.
READING_DAYS = 7


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


def publish_problems(article, going_live=None, found=None):
    """What must be fixed before the article can go out (at ``going_live``, see ``findings``; ``found``: its
    findings, when the caller has them already); empty when it is ready."""
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
    site = SiteSettings.current()
    found = findings(article, going_live) if found is None else found
    return problems + [finding.text for finding in found if site.requires(finding.check)]


def stops(article, going_live=None):
    """What stops the article going out at ``going_live`` (``publish_problems``), each under a key that stays the
    same while the thing missing does (a finding by its check and picture: its words count characters or quote a
    caption), as ``(text, the form field it concerns or None)``."""
    site = SiteSettings.current()
    found = findings(article, going_live)
    stopping = {text: (text, None) for text in publish_problems(article, going_live, found=[])}
    for finding in found:
        if site.requires(finding.check):
            stopping[(finding.check, finding.picture and finding.picture.pk)] = (finding.text, finding.field)
    return stopping


def publish_warnings(article, going_live=None, found=None):
    """The checklist's findings the site does not require (``findings``): the desk is told, not stopped. A picture
    whose rights have already run out is left to ``picture_warnings``, which says so."""
    site, today = SiteSettings.current(), site_today()
    return [
        finding
        for finding in (findings(article, going_live) if found is None else found)
        if not site.requires(finding.check)
        and not (finding.check == Check.RIGHTS and finding.picture.rights_expire_on <= today)
    ]


@dataclass(frozen=True)
class Finding:
    """One item of the checklist an article does not meet: what it needs, as the desk reads it after "Missing:",
    the ``Check`` it is, the form field it concerns and the library picture to fix, if it is one."""

    text: str
    check: str
    field: str
    picture: Image | None = None

    def __str__(self):
        return self.text


def going_live_for(action, article, when=None):
    """When the workflow action ``action`` would put ``article`` before readers: Schedule at ``when``, else at the
    article's publication time; any other action now. The transition and the publish step both ask this."""
    if action == "schedule" and (when or article.published_at):
        return when or article.published_at
    return timezone.now()


def going_live_at(article, going_live=None):
    """When the article would reach readers: ``going_live``, else its publication time when that is still to come
    (it is scheduled), else now."""
    now = timezone.now()
    if going_live is not None:
        return going_live
    return article.published_at if article.published_at and article.published_at > now else now


def picture_name(picture):
    label = picture.caption or picture.alt or picture.original_name
    return f"picture #{picture.pk}" + (f" “{label[:60]}”" if label else "")


def outside_lead_findings(article):
    """Credit and licence of a lead picture from an address outside the library: the article's credit may name
    who made it, but only the library records a licence."""
    if article.lead_image_id is not None or not article.lead_image_url:
        return []
    name = f"the lead picture from {article.lead_image_url[:100]}"
    found = []
    if not article.lead_credit.strip():
        found.append(Finding(f"a credit for {name}", Check.CREDIT, "lead_image_url"))
    text = f"a licence for {name}: add it to the media library, which records a picture's licence"
    return [*found, Finding(text, Check.LICENCE, "lead_image_url")]


def picture_findings(article, going_live):
    """Credit, licence and rights of each picture the article shows: its lead (from the library or an address),
    then its body's."""
    zone = SiteSettings.current().zone
    horizon = timezone.localdate(going_live, zone) + datetime.timedelta(days=READING_DAYS)
    if article.expires_at:
        horizon = min(horizon, timezone.localdate(article.expires_at, zone))
    numbers = figures.referenced_ids(article.body_html)
    pictures = Image.objects.in_bulk([article.lead_image_id, *numbers] if article.lead_image_id else numbers)
    found = outside_lead_findings(article)
    for number in dict.fromkeys([article.lead_image_id, *numbers] if article.lead_image_id else numbers):
        if (picture := pictures.get(number)) is None:
            continue  # ``publish_problems`` names it
        lead = number == article.lead_image_id
        name = f"the lead picture, {picture_name(picture)}" if lead else f"{picture_name(picture)} in the body"
        field = "lead_image" if lead else "body"
        if not (article.lead_credit if lead else picture.credit).strip():
            found.append(Finding(f"a credit for {name}", Check.CREDIT, field, picture))
        if not (picture.licence.strip() or picture.licence_url):
            found.append(Finding(f"a licence for {name}", Check.LICENCE, field, picture))
        if picture.rights_expire_on and picture.rights_expire_on <= horizon:
            ends = date_format(picture.rights_expire_on, "DATE_FORMAT")
            verb = "ended" if picture.rights_expire_on <= site_today() else "end"
            text = f"rights for {name} that last while it is read: they {verb} on {ends}"
            found.append(Finding(text, Check.RIGHTS, field, picture))
    return found


def findings(article, going_live=None):
    """The items of ``Check`` that the article, going live at ``going_live`` (``going_live_at``), does not meet."""
    site = SiteSettings.current()
    found = picture_findings(article, going_live_at(article, going_live))
    if article.kind_id is None:
        found.append(Finding("a kind of work (news, analysis, opinion…)", Check.KIND, "kind"))
    elif article.kind.sponsored and not article.sponsor.strip():
        text = f"a sponsor: “{article.kind.name}” is a sponsored kind of work"
        found.append(Finding(text, Check.SPONSOR, "sponsor"))
    if len(title := article.title.strip()) > site.headline_limit:
        text = f"a headline of at most {site.headline_limit} characters (this one has {len(title)})"
        found.append(Finding(text, Check.HEADLINE, "title"))
    return found


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
