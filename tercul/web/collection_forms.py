"""Forms of the collection pages (the rules are in tercul/services/social/collections.py)."""
from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField, TextAreaField

from .forms import BaseForm


class CollectionForm(BaseForm):
    title = StringField("Title", render_kw={"maxlength": 300})
    description = TextAreaField("Description", render_kw={"rows": 5, "maxlength": 5000},
                                description="Optional. *Emphasis*, **bold**, lists and links; no HTML.")
    is_public = BooleanField("Public: anyone can see it, and it is listed on /collections")
    # "new collection" from a work's page: the work (or translation) goes in at once
    work_id = HiddenField()
    translation_id = HiddenField()


class NoteForm(BaseForm):
    note = StringField("Note", render_kw={"maxlength": 500})
