"""What the API answers, as the OpenAPI schema documents it: one schema per kind of thing, a page of each."""

import datetime as dt

from ninja import Schema
from pydantic import Field

NEXT = "The whole address of the next page (follow it as it is), or null on the last one."


class SectionOut(Schema):
    slug: str
    name: str
    description: str
    url: str


class KindOut(Schema):
    slug: str = Field(description="What `kind=` filters the article list on.")
    name: str = Field(description="As readers see it on the article's label.")
    sponsored: bool = Field(description="Paid for by someone other than the newsroom (see the article's `sponsor`).")


class TagOut(Schema):
    slug: str
    name: str
    url: str


class BylineOut(Schema):
    name: str
    slug: str
    role: str
    url: str


class LeadImageOut(Schema):
    url: str
    alt: str
    caption: str
    credit: str
    picture: int | None = Field(
        None, description="The library picture's id, for /api/v1/pictures/{id}; null when there is none."
    )


class ArticleCardOut(Schema):
    id: int = Field(description="The article's id: its address in the API is /api/v1/articles/{id}.")
    url: str = Field(description="The article's page on the site.")
    slug: str
    title: str
    dek: str = Field(description="The standfirst: a sentence or two under the headline.")
    status: str = Field(
        description="Its state in the newsroom: `published` for all that readers see; `draft`, `review` or "
        "`withdrawn` only to a drafts key."
    )
    published_at: dt.datetime | None = Field(
        description="When it was (or, scheduled, will be) published; null for a draft without one."
    )
    updated_at: dt.datetime | None = Field(
        description="The “Updated” time readers are shown after a substantive update; null if none."
    )
    modified_at: dt.datetime = Field(
        description="When anything about it last changed: what `updated_since` filters on."
    )
    section: SectionOut | None
    kind: KindOut | None = Field(description="Its kind of work (news, analysis, opinion…), or null when none is set.")
    sponsor: str = Field(description="Who paid for a sponsored piece, as readers are told; empty when none.")
    authors: list[BylineOut]
    tags: list[TagOut]
    lead_image: LeadImageOut | None = Field(description="The picture at its top, or null.")
    live: bool = Field(description="A live page: its updates are at /api/v1/articles/{id}/updates.")


class ArticleRefOut(Schema):
    id: int
    title: str
    url: str


class CorrectionOut(Schema):
    id: int
    kind: str = Field(description="`correction` (something was wrong) or `update` (something was added).")
    text_html: str
    created_at: dt.datetime
    url: str
    article: ArticleRefOut


class ArticleOut(ArticleCardOut):
    body_html: str = Field(description="The body as readers see it, in HTML.")
    body_source: str | None = Field(
        None, description="The Markdown the body is made from: only with `include=source` and a drafts key."
    )
    corrections: list[CorrectionOut]


class AuthorOut(Schema):
    slug: str
    name: str
    job_title: str = Field(description="Their role, as on the masthead (schema.org jobTitle); empty when none.")
    expertise: list[str] = Field(description="What they know and cover, a subject each (schema.org knowsAbout).")
    bio_html: str
    photo_url: str
    website: str
    profiles: list[str] = Field(description="Their pages elsewhere, https:// addresses (schema.org sameAs).")
    public_email: str = Field(description="The address readers may write to them at; empty when none.")
    url: str


class SourceOut(Schema):
    width: int
    height: int
    webp: str
    jpg: str


class PictureOut(Schema):
    id: int
    url: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str
    licence: str
    rights_expire_on: dt.date | None = Field(
        description="When the newsroom's rights to show it end; null when they do not."
    )
    renditions: list[SourceOut] = Field(description="The picture at several widths, as WebP and JPEG.")
    crops: dict[str, str] = Field(
        description="Crops made for particular uses (`social`, `square`, `thumb`), by name, where made."
    )
    modified_at: dt.datetime


class UpdateOut(Schema):
    id: int
    headline: str
    body_html: str
    posted_at: dt.datetime
    edited_at: dt.datetime | None
    key_event: bool = Field(description="Listed in the summary at the top of the live page.")
    pinned: bool = Field(description="Held at the top of the stream until unpinned.")
    correction: str = Field(
        description="What was wrong, shown with the update after a substantive change; empty if none."
    )
    authors: list[str]
    url: str = Field(description="The update on the live page.")


class ArticlePage(Schema):
    data: list[ArticleCardOut]
    next: str | None = Field(description=NEXT)


class SectionPage(Schema):
    data: list[SectionOut]
    next: str | None = Field(description=NEXT)


class TagPage(Schema):
    data: list[TagOut]
    next: str | None = Field(description=NEXT)


class AuthorPage(Schema):
    data: list[AuthorOut]
    next: str | None = Field(description=NEXT)


class PicturePage(Schema):
    data: list[PictureOut]
    next: str | None = Field(description=NEXT)


class CorrectionPage(Schema):
    data: list[CorrectionOut]
    next: str | None = Field(description=NEXT)


class UpdatePage(Schema):
    data: list[UpdateOut]
    next: str | None = Field(description=NEXT)
