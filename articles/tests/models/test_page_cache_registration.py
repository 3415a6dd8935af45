"""Every model readers see is registered with the page cache, and every time field of one is either a
registered moment or named here as not one, with the reason."""

from django.apps import apps
from django.db import models

from pagecache.registry import PageRetiringQuerySet, registered_models, schedule_providers

NOT_SHOWN_TO_READERS = {
    "articles.HistoricalArticle": "an article's past versions, shown only in the admin's history",
    "articles.ArticleTransition": "the workflow log, shown only in the admin and on the desk",
    "articles.ShareLink": "a preview link: the page it opens is never cached (never_cache)",
    "articles.Autosave": "an editor's unsaved draft, shown only in the admin",
    "articles.DeskPreferences": "an editor's desk settings",
    "articles.UndeliveredMail": "the desk's mail queue",
    "articles.ArticleEvent": "the log of what other software is told (webhooks, WebSub); no page shows it",
}

NOT_MOMENTS = {
    ("articles.Article", "created_at"): "when the row was made: readers never see it",
    ("articles.Article", "modified_at"): "set by every save, which retires pages itself",
    ("articles.Article", "updated_at"): "the 'Updated' date shown: set by an edit, which retires pages itself",
    ("articles.Correction", "created_at"): "the date a correction shows; it is shown from its save on",
    ("articles.Image", "uploaded_at"): "when the file came in: readers never see it",
    ("articles.Image", "modified_at"): "set by every save, which retires pages itself",
    ("articles.Pin", "pinned_at"): "orders the pins: set when pinned, a save",
    ("articles.Section", "modified_at"): "set by every save, which retires pages itself",
    ("articles.KindOfWork", "modified_at"): "set by every save, which retires pages itself",
    ("articles.SiteSettings", "modified_at"): "set by every save, which retires pages itself",
    ("about.NewsroomPage", "created_at"): "when the page was made: readers never see it",
    ("about.NewsroomPage", "modified_at"): "the page's 'Updated' date: set by every save, which retires pages itself",
    ("newsletters.Newsletter", "created_at"): "when the list was made: the sign-up forms never show it",
}

WRITTEN_ONLY_BY_SAVE = {
    "taggit.Tag": "django-taggit's own model, whose querysets it makes: tags are saved, and saves signal"
}


def _moment_fields():
    return {(provider.model._meta.label, name) for provider in schedule_providers() for name in provider.fields}


def test_every_model_readers_see_retires_pages():
    """A model with a reader address, or any model of the content app, is registered or named as unseen."""
    registered = registered_models()
    content = {model._meta.label: model for model in apps.get_app_config("articles").get_models()}
    with_address = {model._meta.label: model for model in apps.get_models() if hasattr(model, "get_absolute_url")}
    missing = sorted(set(content | with_address) - set(registered) - set(NOT_SHOWN_TO_READERS))
    assert missing == [], "register these with pagecache.registry.register_model, or say why readers never see them"
    assert not set(NOT_SHOWN_TO_READERS) & set(registered)


def test_every_time_field_readers_see_is_a_moment_or_said_not_to_be():
    """Each date or time field of a registered model is a registered schedule moment or listed with a reason."""
    moments = _moment_fields()
    unexplained = sorted(
        (label, field.name)
        for label, model in registered_models().items()
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)
        and (label, field.name) not in moments
        and (label, field.name) not in NOT_MOMENTS
    )
    assert unexplained == [], (
        "register these with pagecache.registry.register_schedule, or say why they are not moments"
    )
    assert not moments & set(NOT_MOMENTS)


def test_bulk_writes_to_registered_models_retire_pages():
    """Every registered model's querysets retire pages on update and bulk_create (``PageRetiringQuerySet``)."""
    plain = sorted(
        label
        for label, model in registered_models().items()
        if not isinstance(model._default_manager.all(), PageRetiringQuerySet) and label not in WRITTEN_ONLY_BY_SAVE
    )
    assert plain == []
