"""Forms of the contribute and review pages (Flask-WTF: fields, labels, the CSRF token).

The forms only carry what people typed: every rule is checked by
:mod:`tercul.services.contributions`, whose ``Invalid(field, message)`` is shown next
to the field of the same name (:meth:`ContributionForm.show_error`). The one exception
is a language (:class:`LanguageField`): the picker's name is read back as its code here.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..services.errors import Invalid
from ..services.languages import parse_language_choice

# common languages offered by the language pickers (any ISO 639 code is accepted too)
SUGGESTED_LANGUAGES = ("ar", "bg", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es", "et", "eu", "fa", "fi", "fr",
                       "ga", "gd", "grc", "he", "hi", "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "ko", "la",
                       "lt", "lv", "mk", "nl", "nn", "no", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl", "sq", "sr",
                       "sv", "sw", "ta", "tr", "uk", "ur", "vi", "yi", "zh")


def read_language(raw: str | None) -> str | None:
    """What a language picker sent, as a code: a code, or a name the picker offered
    (``German · Deutsch``, ``German``, ``Deutsch``); ``None`` when empty or unknown."""
    try:
        return parse_language_choice(raw, SUGGESTED_LANGUAGES)
    except Invalid:
        return None


class LanguageField(StringField):
    """A language typed in the type-ahead picker (templates/components/_language_picker.html):
    its ``data`` is the code (``de``) whether a code or a name the picker showed was sent;
    an unknown or missing language is an error of the field."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.language_error = None
        if not (self.data or "").strip():
            self.language_error = "Choose a language: type its name or its ISO 639 code, like de, fr or grc."
            return
        try:
            self.data = parse_language_choice(self.data, SUGGESTED_LANGUAGES, field=self.name)
        except Invalid as error:
            self.language_error = error.message

    def pre_validate(self, form):
        if getattr(self, "language_error", None):
            raise ValidationError(self.language_error)


_TEXT = {"rows": 18, "spellcheck": "true", "autocomplete": "off", "class": "text-input"}


class ContributionForm(FlaskForm):
    """Shows a service's ``Invalid`` on the field it names (or above the form)."""

    # a service field name -> the form field showing it, where the two differ
    error_fields: dict[str, str] = {"kind": "text", "work": "text"}

    # the state the page showed: a review or change of something that moved on is refused
    expected_status = HiddenField()
    expected_revision = HiddenField()

    def show_error(self, error: Invalid) -> None:
        name = self.error_fields.get(error.field, error.field)
        field = self._fields.get(name)
        if field is None or isinstance(field, HiddenField):
            self.form_errors.append(error.message)
        else:
            field.errors = [*field.errors, error.message]

    def expected(self) -> dict:
        revision = (self.expected_revision.data or "").strip()
        return {"expected_status": (self.expected_status.data or "").strip() or None,
                "expected_revision": int(revision) if revision.isdigit() else None}


class _TextFields(ContributionForm):
    text = TextAreaField("Text", render_kw=_TEXT, description=(
        "Plain text. Leave a blank line between stanzas (or paragraphs, or speeches); keep each line of verse "
        "on its own line. Indentation is kept."))
    file = FileField("…or upload a plain text file (.txt, UTF-8)", render_kw={"accept": ".txt,text/plain"})
    note = TextAreaField("A note for the reviewers", render_kw={"rows": 3, "maxlength": 5000},
                         description="Optional: what you changed, what you were unsure about.")


class TranslationForm(_TextFields):
    language = LanguageField("Language", render_kw={"maxlength": 100, "autocapitalize": "none"},
                             description="Of the translation: type its name (German, Deutsch) or its ISO 639 code "
                                         "(de, grc, pt-BR…) and choose it from the list.")
    title = StringField("Title of the translation", render_kw={"maxlength": 500})
    translator = RadioField("Who made this translation?", default="self", validate_choice=False, choices=[
        SelectChoice("self", "I did: it is my own translation"),
        SelectChoice("historical", "A historical translator (a public-domain text)")])
    translator_name = StringField("Translator's name", render_kw={"maxlength": 200, "autocomplete": "off"})
    source = StringField("Source", render_kw={"maxlength": 1000},
                         description="The edition the text comes from: title, place and year, or a link to a scan.")
    licence = StringField("Licence", render_kw={"maxlength": 1000},
                          description="For example “Public domain (the translator died in 1890)”.")


class EditForm(_TextFields):
    title = StringField("Title of the translation", render_kw={"maxlength": 500})


class WorkForm(_TextFields):
    title = StringField("Title", render_kw={"maxlength": 500}, description="In the work's own language.")
    language = LanguageField("Language of the original", render_kw={"maxlength": 100, "autocapitalize": "none"},
                             description="Type its name (Latin, English) or its ISO 639 code (la, en, grc…) "
                                         "and choose it from the list.")
    form = SelectField("Form", validate_choice=False, choices=[
        SelectChoice("poetry", "Poetry"), SelectChoice("prose", "Prose"), SelectChoice("drama", "Drama")])
    author = StringField("Author in the library", render_kw={"maxlength": 200, "autocomplete": "off",
                                                             "list": "author-suggestions"},
                         description="The author's name as the library shows it. Leave empty to propose a new author.")
    author_name = StringField("…or propose a new author: name", render_kw={"maxlength": 200})
    author_birth_year = StringField("Born", render_kw={"inputmode": "numeric", "maxlength": 5})
    author_death_year = StringField("Died", render_kw={"inputmode": "numeric", "maxlength": 5})
    date_from = StringField("Written in (year)", render_kw={"inputmode": "numeric", "maxlength": 5},
                            description="Negative for BC. Give a second year for a range.")
    date_to = StringField("…until (year)", render_kw={"inputmode": "numeric", "maxlength": 5})
    source = StringField("Source", render_kw={"maxlength": 1000},
                         description="The edition the text comes from: title, place and year, or a link to a scan.")
    licence = StringField("Licence", render_kw={"maxlength": 1000}, description="For example “Public domain”.")


FORMS_BY_KIND = {"new_translation": TranslationForm, "edit_translation": EditForm, "new_work": WorkForm}


class DecisionForm(ContributionForm):
    comment = TextAreaField("Comment for the contributor", render_kw={"rows": 5, "maxlength": 5000},
                            description="Needed to request changes or to decline; optional to approve.")


class ActionForm(ContributionForm):
    """Withdraw or submit: a button, the state the page showed, and an optional comment."""

    comment = TextAreaField("Why (optional)", render_kw={"rows": 2, "maxlength": 5000})


class BulkApproveForm(FlaskForm):
    comment = TextAreaField("Comment for the contributors (optional)", render_kw={"rows": 2, "maxlength": 5000})


class LineCommentForm(FlaskForm):
    """A comment on one line (a new thread), or a reply in a thread."""

    line_key = StringField("Line", render_kw={"maxlength": 100, "autocomplete": "off", "spellcheck": "false",
                                              "class": "c-input--key"})
    body = TextAreaField("Comment on the line", render_kw={"rows": 3, "maxlength": 5000})
