"""Editing the catalogue: authors, works and translations (editors; deletions: admins)."""
from __future__ import annotations

import graphene
from flask import current_app

from ...services import editing
from ..core import enum_value, int_id, service_mutation, user_errors_field
from .catalog import AuthorType, Form, TranslationType, WorkType

_ERRORS = user_errors_field()


class AuthorInput(graphene.InputObjectType):
    """An author's facts."""

    name = graphene.String(required=True, description="Name as usually written in English.")
    slug = graphene.String(description="URL name (new authors; made from the name when omitted).")
    names = graphene.JSONString(description='Names in other languages: {"ru": "Шекспир"}.')
    birth_year = graphene.Int(description="Year of birth (negative: BCE).")
    death_year = graphene.Int(description="Year of death.")
    country = graphene.String(description="Country or region.")
    biography = graphene.String(description="A short biography.")


class WorkInput(graphene.InputObjectType):
    """A work's facts, and optionally its text."""

    title = graphene.String(required=True, description="Title in the original language.")
    language = graphene.String(required=True, description="ISO 639 code of the original.")
    form = graphene.Field(Form, required=True, description="Poetry, prose or drama.")
    authors = graphene.List(graphene.NonNull(graphene.String), required=True, description="Author slugs, in order.")
    slug = graphene.String(description="URL name (new works; made from the title when omitted).")
    genres = graphene.List(graphene.NonNull(graphene.String), description="Genre names.")
    tags = graphene.List(graphene.NonNull(graphene.String), description="Tag names.")
    period = graphene.String(description="Literary period.")
    date_from = graphene.Int(description="Composition began (year).")
    date_to = graphene.Int(description="Composition ended (year).")
    parent = graphene.String(description="Slug of the collection it belongs to.")
    position = graphene.Int(description="Order within the collection.")
    source = graphene.String(description="Where the text comes from.")
    licence = graphene.String(description="Licence or copyright status.")
    text = graphene.String(description="Plain text, blank lines between stanzas/paragraphs; "
                                       "required for a new work; a change is a new revision.")


class AuthorPayload(graphene.ObjectType):
    """The author after the change."""

    author = graphene.Field(AuthorType, description="The author.")
    errors = _ERRORS


class WorkPayload(graphene.ObjectType):
    """The work after the change."""

    work = graphene.Field(WorkType, description="The work.")
    errors = _ERRORS


class TranslationPayload(graphene.ObjectType):
    """The translation after the change."""

    translation = graphene.Field(TranslationType, description="The translation.")
    errors = _ERRORS


class DeletePayload(graphene.ObjectType):
    """The result of a deletion."""

    ok = graphene.Boolean(required=True, description="True when it was deleted.")
    errors = _ERRORS


def _author_input(data) -> editing.AuthorInput:
    names = data.get("names") or {}
    return editing.AuthorInput(name=data["name"], slug=data.get("slug"), names=names if isinstance(names, dict) else {},
                               birth_year=data.get("birth_year"), death_year=data.get("death_year"),
                               country=data.get("country"), biography=data.get("biography"))


def _work_input(data) -> editing.WorkInput:
    return editing.WorkInput(
        title=data["title"], language=data["language"], form=enum_value(data["form"]), authors=list(data["authors"]),
        slug=data.get("slug"), genres=data.get("genres"), tags=data.get("tags"), period=data.get("period"),
        date_from=data.get("date_from"), date_to=data.get("date_to"), parent=data.get("parent"),
        position=data.get("position"), source=data.get("source"), licence=data.get("licence"),
        text=data.get("text"))


def _max() -> int:
    return current_app.config["TEXT_MAX_BYTES"]


def _id(what: str) -> graphene.ID:
    return graphene.ID(required=True, description=f"The {what}.")


def _deletion(name: str, delete, doc: str, what: str):
    """A delete mutation: ``delete(session, actor, id)`` from the editing service."""

    def run(ctx, id):
        delete(ctx.session, ctx.user, int_id(id))
        return {"ok": True}

    return service_mutation(name, doc, DeletePayload, {"id": _id(what)}, run)


CreateAuthor = service_mutation(
    "CreateAuthor", "Add an author (reviewers and admins).", AuthorPayload,
    {"input": AuthorInput(required=True, description="The author's facts.")},
    lambda ctx, input: {"author": editing.save_author(ctx.session, ctx.user, _author_input(input))})

UpdateAuthor = service_mutation(
    "UpdateAuthor", "Correct an author's facts (reviewers and admins).", AuthorPayload,
    {"id": _id("author"), "input": AuthorInput(required=True, description="The author's facts (all of them).")},
    lambda ctx, id, input: {"author": editing.save_author(ctx.session, ctx.user, _author_input(input),
                                                          author_id=int_id(id))})

DeleteAuthor = _deletion("DeleteAuthor", editing.delete_author, "Delete an author who has no works (admins).",
                         "author")

CreateWork = service_mutation(
    "CreateWork",
    "Add a work with its text (reviewers and admins; contributors propose works through `submitContribution`).",
    WorkPayload, {"input": WorkInput(required=True, description="The work's facts and text.")},
    lambda ctx, input: {"work": editing.save_work(ctx.session, ctx.user, _work_input(input), max_bytes=_max())})

UpdateWork = service_mutation(
    "UpdateWork", "Correct a work's facts, or give its original a new revision (reviewers and admins).", WorkPayload,
    {"id": _id("work"),
     "input": WorkInput(required=True, description="The work's facts (all of them); `text` only to change it.")},
    lambda ctx, id, input: {"work": editing.save_work(ctx.session, ctx.user, _work_input(input),
                                                      work_id=int_id(id), max_bytes=_max())})

DeleteWork = _deletion("DeleteWork", editing.delete_work, "Delete a work with its texts and translations (admins).",
                       "work")

CreateTranslation = service_mutation(
    "CreateTranslation",
    "Publish a translation directly, e.g. a public-domain text with its source (reviewers and admins;\n"
    "    contributors propose translations through `submitContribution`).",
    TranslationPayload,
    {"work_id": graphene.ID(required=True, description="The work translated."),
     "language": graphene.String(required=True, description="ISO 639 code."),
     "title": graphene.String(required=True, description="Title in the translation's language."),
     "text": graphene.String(required=True, description="Plain text, shaped like the original."),
     "translator_name": graphene.String(description="The translator's name."),
     "source": graphene.String(description="Where the text comes from."),
     "licence": graphene.String(description="Licence or copyright status.")},
    lambda ctx, work_id, **fields: {"translation": editing.create_translation(
        ctx.session, ctx.user, int_id(work_id, "workId"), **fields, max_bytes=_max())})

UpdateTranslation = service_mutation(
    "UpdateTranslation",
    "Correct a translation's facts or (un)publish it (reviewers and admins). Its text changes\n"
    "    through an edit contribution (`submitContribution` with kind EDIT_TRANSLATION).",
    TranslationPayload,
    {"id": _id("translation"),
     "title": graphene.String(description="New title."),
     "translator_name": graphene.String(description="The named translator."),
     "source": graphene.String(description="Where the text comes from."),
     "licence": graphene.String(description="Licence or copyright status."),
     "published": graphene.Boolean(description="Publish (true) or withdraw from readers (false).")},
    lambda ctx, id, **fields: {"translation": editing.update_translation(ctx.session, ctx.user, int_id(id),
                                                                         **fields)})

DeleteTranslation = _deletion("DeleteTranslation", editing.delete_translation,
                              "Delete a translation and its revisions (admins).", "translation")


class Query(graphene.ObjectType):
    pass


class Mutation(graphene.ObjectType):
    create_author = CreateAuthor.Field(description=CreateAuthor.__doc__)
    update_author = UpdateAuthor.Field(description=UpdateAuthor.__doc__)
    delete_author = DeleteAuthor.Field(description=DeleteAuthor.__doc__)
    create_work = CreateWork.Field(description=CreateWork.__doc__)
    update_work = UpdateWork.Field(description=UpdateWork.__doc__)
    delete_work = DeleteWork.Field(description=DeleteWork.__doc__)
    create_translation = CreateTranslation.Field(description=CreateTranslation.__doc__)
    update_translation = UpdateTranslation.Field(description=UpdateTranslation.__doc__)
    delete_translation = DeleteTranslation.Field(description=DeleteTranslation.__doc__)
