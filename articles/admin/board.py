"""The front page as a board: the pinned stories as the cards readers see, by place, put in order by dragging
them or with each card's "Move up" and "Move down" buttons (plain form posts, so the board works without its
script), a story pinned from a list of articles, a pin removed.

Every change is a post that names the order the editor was looking at (``seen``): the place's pins are locked and
read again in one transaction, and an order that changed meanwhile (another editor moved, added or removed a
pin) is refused with the board as it is now, so two editors reordering at once never mix their orders.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import Pin, numbers, states
from articles.models.frontpage import PINNED_MOST, front_page_layout
from articles.workflow import transitions

PLACES = dict(Pin.Place.choices)
HEADINGS = {place: label.removesuffix("story") + "stories" for place, label in PLACES.items()}
STALE = (
    "The front page changed while you were looking at it (someone moved, added or removed a story): nothing was "
    "moved. Here it is as it is now: move the story again."
)


class AddPinForm(forms.ModelForm):
    """A story to pin, chosen from the articles (the admin's autocomplete), and its place."""

    class Meta:
        model = Pin
        fields = ["article", "place"]
        labels = {"article": "Story to pin", "place": "As"}

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        article = self.fields["article"]
        article.widget = numbers.CheckedAutocompleteSelect(Pin._meta.get_field("article"), admin_site)
        article.widget.choices = article.choices
        self.fields["article"].help_text = "Any article: only published ones are shown."
        self.fields["place"].help_text = ""

    def clean_article(self):
        article = self.cleaned_data["article"]
        pinned = Pin.objects.filter(article=article).first()
        if pinned is not None:
            raise forms.ValidationError(
                f"“{article.title}” is pinned already, as a {pinned.get_place_display().lower()}: move that card."
            )
        return article

    def validate_unique(self):
        """``clean_article`` says it in the newsroom's words."""


def make_room(place):
    """The position of a story newly pinned in ``place``: first, as the newest news leads, the others moved down
    one (inside the caller's transaction)."""
    Pin.objects.filter(place=place).update(position=F("position") + 1)
    return 0


def board_url(anchor=None):
    return reverse("admin:articles_pin_board") + (f"#pin-{anchor}" if anchor else "")


def _ordered(queryset):
    return queryset.order_by("position", "-pinned_at", "pk")


def _state(pin, layout, now):
    """Whether readers see the pin's story on the front page now, and if not, why not (a short sentence)."""
    article = pin.article
    if not pin.is_live():
        return False, f"Not shown: unpinned since {transitions.shown(pin.expires_at)}."
    if not article.is_published():
        return False, f"Not shown: the story is {states.LABELS[states.state_of(article, now)].lower()}."
    if layout["lead"] == article.pk:
        return True, "On the front page now, as the lead story."
    if article.pk in layout["top"]:
        lead = pin.place == Pin.Place.LEAD
        return True, "On the front page now, among the top stories" + (": another lead comes first." if lead else ".")
    return False, f"Not shown: only the first {PINNED_MOST} pins count."


def places():
    """[(place, heading, [pins])] in the places' order, each place's pins as the front page orders them, with
    ``shown_now`` and ``why`` on each pin."""
    now = timezone.now()
    layout = front_page_layout([])
    pins = _ordered(Pin.objects.select_related("article__section", "article__lead_image"))
    found = {place: [] for place in PLACES}
    for pin in pins:
        pin.shown_now, pin.why = _state(pin, layout, now)
        found.setdefault(pin.place, []).append(pin)
    return [(place, HEADINGS[place], found[place]) for place in PLACES]


def _ids(text):
    """The pin ids of a comma-separated list, or None when one is no whole number."""
    parts = [part for part in (text or "").split(",") if part.strip()]
    ids = [numbers.whole_number(part.strip(), "BigAutoField") for part in parts]
    return None if any(pk is None for pk in ids) else ids


def _reorder(request, place, change):
    """Rewrite ``place``'s positions in one transaction, as ``change(current ids)`` orders them (a new list, or a
    message string when the change cannot be made), unless the order changed since the editor saw it."""
    if place not in PLACES:
        messages.error(request, "There is no such place on the front page: nothing was moved.")
        return None
    seen = _ids(request.POST.get("seen"))
    with transaction.atomic():
        pins = list(_ordered(Pin.objects.select_for_update().filter(place=place)))
        current = [pin.pk for pin in pins]
        if seen != current:
            messages.error(request, STALE)
            return None
        wanted = change(current)
        if isinstance(wanted, str):
            messages.error(request, wanted)
            return None
        by_id = {pin.pk: pin for pin in pins}
        moved = []
        for position, pk in enumerate(wanted):
            if by_id[pk].position != position:
                by_id[pk].position = position
                moved.append(by_id[pk])
        Pin.objects.bulk_update(moved, ["position"])
    return wanted


def _move(request):
    pin_id = numbers.whole_number(request.POST.get("pin", ""), "BigAutoField")
    direction = request.POST.get("action")
    place = request.POST.get("place", "")
    label = HEADINGS.get(place, "front page's stories").lower()

    def change(current):
        if pin_id not in current:
            return f"That story is not among the {label}: nothing was moved."
        at = current.index(pin_id)
        to = at - 1 if direction == "up" else at + 1
        if not 0 <= to < len(current):
            return "It is first already." if direction == "up" else "It is last already."
        current[at], current[to] = current[to], current[at]
        return current

    wanted = _reorder(request, place, change)
    if wanted is not None:
        pin = Pin.objects.select_related("article").filter(pk=pin_id).first()  # unpinned since, by someone else
        title = f"“{pin.article.title}”" if pin else "The story"
        messages.success(request, f"{title} moved {direction}: {wanted.index(pin_id) + 1} of "
                         f"{len(wanted)} {label}.")  # fmt: skip
    return board_url(pin_id)


def _order(request):
    order = _ids(request.POST.get("order"))

    def change(current):
        if order is None or sorted(order) != sorted(current):
            return "The new order does not list the same stories as the board: nothing was moved."
        return order

    place = request.POST.get("place", "")
    if _reorder(request, place, change) is not None:
        messages.success(request, "The new order is saved.")
        return reverse("admin:articles_pin_board") + f"#board-{place}"
    return board_url()


def _remove(request):
    pin_id = numbers.whole_number(request.POST.get("pin", ""), "BigAutoField")
    pin = Pin.objects.select_related("article").filter(pk=pin_id).first() if pin_id is not None else None
    if pin is None:
        messages.error(request, "That story is not pinned (any more): nothing was removed.")
    else:
        pin.delete()
        messages.success(request, f"“{pin.article.title}” is no longer pinned.")
    return board_url()


def _add(request, model_admin, again=False):
    """The add form as posted and the pin it made, or None. The form is validated inside the transaction that saves
    the pin; when another editor pinned the story in between (the unique index refuses the second pin), the form is
    validated once more, now against the pin that won, and says the story is pinned already."""
    form = AddPinForm(request.POST, admin_site=model_admin.admin_site)
    try:
        with transaction.atomic():
            if not form.is_valid():
                return form, None
            pin = form.save(commit=False)
            pin.pinned_by, pin.position = request.user, make_room(pin.place)
            pin.save()
            return form, pin
    except IntegrityError:
        if again:  # a second refusal is not a race validation can name
            raise
    return _add(request, model_admin, again=True)


def view(model_admin, request):
    """The board (GET) and its changes (POST), each allowed only to those who may make it."""
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    form = AddPinForm(admin_site=model_admin.admin_site) if model_admin.has_add_permission(request) else None
    if request.method == "POST":
        action = request.POST.get("action")
        allowed = {
            "up": model_admin.has_change_permission,
            "down": model_admin.has_change_permission,
            "order": model_admin.has_change_permission,
            "remove": model_admin.has_delete_permission,
            "add": model_admin.has_add_permission,
        }
        if action not in allowed:
            messages.error(request, "The board did not understand that request: nothing was changed.")
            return HttpResponseRedirect(board_url())
        if not allowed[action](request):
            raise PermissionDenied
        if action == "add":
            form, pin = _add(request, model_admin)
            if pin is not None:
                messages.success(request, f"“{pin.article.title}” is pinned as a {pin.get_place_display().lower()}.")
                return HttpResponseRedirect(board_url(pin.pk))
        else:
            handle = {"up": _move, "down": _move, "order": _order, "remove": _remove}[action]
            return HttpResponseRedirect(handle(request))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "The front page",
        "places": places(),
        "add_form": form,
        "media": model_admin.media + (form.media if form else forms.Media()),
        "may_change": model_admin.has_change_permission(request),
        "may_delete": model_admin.has_delete_permission(request),
    }
    return TemplateResponse(request, "admin/articles/pin/board.html", context)
