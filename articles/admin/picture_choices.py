"""What the picture chooser shows of a library picture, and the fields that use it (an article's lead picture,
an author's photo): a card with the thumbnail, the alt text, caption and credit, and what a writer should know
before using it (its rights, its licence, missing alt text)."""

import datetime

from django import forms
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.markup import figures
from articles.models import EXPIRING_DAYS, Image, site_today


def warnings(image, today=None):
    """What to know before using the picture, in plain words."""
    today = today or site_today()
    found = []
    expires = image.rights_expire_on
    if image.rights_expired(today):
        found.append(f"Rights expired on {date_format(expires)}: readers will not see it.")
    elif expires is not None and expires <= today + datetime.timedelta(days=EXPIRING_DAYS):
        found.append(f"Rights end on {date_format(expires)}.")
    if not image.licence:
        found.append("No licence recorded.")
    if not image.alt:
        found.append("No alt text: add it before publishing.")
    return found


def chooser_urls(user):
    """The chooser's endpoints this user may call: search to those who see the library, upload to those who
    may add to it; None for neither."""
    if not user.has_perm("articles.view_image"):
        return None
    urls = {"search": reverse("admin:articles_image_picker_search")}
    if user.has_perm("articles.add_image"):
        urls["upload"] = reverse("admin:articles_image_picker_upload")
    return urls


def choice(image, today=None):
    """A picture as the chooser lists it (and as its upload answers)."""
    return {
        "id": image.pk,
        "label": str(image),
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "licence": image.licence,
        "thumbnail": default_storage.url(image.thumbnail_name()) if image.file else "",
        "expired": image.rights_expired(today),
        "warnings": warnings(image, today),
        "reference": figures.reference(image.pk, image.alt, image.caption),
        "edit": reverse("admin:articles_image_change", args=[image.pk]),
    }


class LibraryPictureInput(forms.NumberInput):
    """A library picture's number (an article's lead picture, an author's photo), with a card showing the chosen
    picture. The picture chooser (chooser.js) hides the number and fills it in; without scripts it is a plain
    number field, and the card still shows what the number points at. ``noun`` names the picture's role,
    ``upload_field`` the form's own upload field, which the chooser's upload stands in for."""

    def __init__(self, noun="lead picture", upload_field="lead_image_upload", attrs=None):
        self.noun, self.upload_field = noun, upload_field
        super().__init__({"min": 1, "class": "lead-picture-number", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        picture = None
        if value not in (None, ""):
            try:
                picture = Image.objects.filter(pk=int(value)).first()
            except (TypeError, ValueError):
                picture = None
        field = super().render(name, value, attrs, renderer)
        field_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        return format_html(
            '<div class="lead-picture" data-lead-picture="{}" data-noun="{}" data-upload-field="{}">{}'
            '<div class="lead-picture-entry">{}'
            '<p class="help">The picture’s number in the media library (on its page), or upload one below. '
            '<a href="{}">Open the media library</a></p></div>'
            '<div class="lead-picture-actions" hidden><button type="button" class="button lead-picture-choose">{}'
            '</button> <button type="button" class="button lead-picture-remove"{}>Remove</button></div>'
            '<p class="lead-picture-status" role="status"></p></div>',
            field_id,
            self.noun,
            self.upload_field,
            self.card(picture, value),
            field,
            reverse("admin:articles_image_changelist"),
            "Change" if picture else "Choose a picture",
            "" if picture else mark_safe(" hidden"),
        )

    def card(self, picture, value):
        if picture is None:
            text = f"No {self.noun} chosen." if value in (None, "") else f"No picture #{value} in the library."
            return format_html('<div class="lead-picture-card"><p class="lead-picture-none">{}</p></div>', text)
        shown = choice(picture)
        facts = [
            f"{label}: {shown[name]}" for name, label in (("caption", "Caption"), ("credit", "Credit")) if shown[name]
        ]
        return format_html(
            '<div class="lead-picture-card"><img src="{}" alt="" width="96" height="96">'
            '<div class="lead-picture-text"><p class="lead-picture-title"><a href="{}">Picture #{}</a>: {}</p>{}{}'
            "</div></div>",
            shown["thumbnail"],
            shown["edit"],
            picture.pk,
            shown["alt"] or "no alt text",
            format_html_join("", "<p>{}</p>", ((fact,) for fact in facts)),
            format_html_join("", '<p class="picture-warning">{}</p>', ((text,) for text in shown["warnings"])),
        )
