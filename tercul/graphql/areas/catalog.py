"""Works, authors, translations, texts and library statistics."""
from __future__ import annotations

import graphene

from ...services import catalog as catalog_service
from ...services.errors import Invalid, NotFound
from ...services.languages import language_name, normalize_language
from ...services.reading import lookups
from .. import loaders
from ..core import ApiError, bad_input, int_id
from ..execution import plain
from ..pagination import connection, connection_args, paginate


class Form(graphene.Enum):
    """The literary form of a work."""

    POETRY = "poetry"
    PROSE = "prose"
    DRAMA = "drama"

    @property
    def description(self):
        return {"POETRY": "Verse: poems, sonnets, epics, psalms.", "PROSE": "Prose: novels, essays, declarations.",
                "DRAMA": "Plays, in acts, scenes and speeches."}[self.name]


class Line(graphene.ObjectType):
    """One line of a text (a verse, a paragraph of prose, a line of a speech)."""

    key = graphene.String(required=True, description="Stable key of the line within its text, e.g. `1.2.7`.")
    text = graphene.String(required=True, description="The line as written.")
    speaker = graphene.String(description="Who speaks the line (drama).")
    indent = graphene.Int(required=True, description="Indentation in spaces (verse).")
    kind = graphene.String(required=True, description="`line`, `stage` (a stage direction) or `heading`.")


class Division(graphene.ObjectType):
    """A division of a text (act, scene, chapter, poem, stanza, article...) and its own lines."""

    key = graphene.String(required=True, description="Stable key, e.g. `1.2` or `art.1`.")
    parent_key = graphene.String(description="Key of the enclosing division, null at the top.")
    depth = graphene.Int(required=True, description="0 for top-level divisions.")
    kind = graphene.String(required=True, description="act, scene, chapter, stanza, article...")
    title = graphene.String(description="Heading of the division, if it has one.")
    lines = graphene.List(graphene.NonNull(Line), required=True, description="Lines directly in this division.")


class TextRevisionType(graphene.ObjectType):
    """The published revision of a text: its divisions and lines in reading order."""

    class Meta:
        name = "Text"

    revision = graphene.Int(required=True, description="Revision number (1 for the first).")
    line_count = graphene.Int(required=True, description="Number of lines in the whole text.")
    divisions = graphene.List(
        graphene.NonNull(Division), required=True,
        description="Divisions in reading order, each with its lines. Use `division` to read one part.",
        division=graphene.String(description="Only this division (and those inside it), by key."))

    def resolve_revision(rev, info):
        return rev.number

    def resolve_divisions(rev, info, division=None):
        return text_divisions(info.context.session, rev.id, division)

    analysis = graphene.Field("tercul.graphql.areas.analysis.TextAnalysis",
                              description="Language, counts, readability, meter, rhyme schemes: null until analysed.")

    def resolve_analysis(rev, info):
        from .analysis import resolve_text_analysis

        return resolve_text_analysis(rev, info)


def text_divisions(session, revision_id: int, only: str | None = None) -> list[Division]:
    """Divisions with their lines, two queries whatever the size (optionally one part)."""
    try:
        found = lookups.text_divisions(session, revision_id, only)
    except NotFound as exc:
        raise ApiError(exc.message, exc.code) from None
    return [Division(key=d.division.key, parent_key=d.division.parent_key, depth=d.division.depth,
                     kind=d.division.kind, title=d.division.title,
                     lines=[Line(key=ln.key, text=ln.text, speaker=ln.speaker, indent=ln.indent, kind=ln.kind)
                            for ln in d.lines]) for d in found]


class Term(graphene.ObjectType):
    """A genre or a tag."""

    slug = graphene.String(required=True, description="URL name, used in filters.")
    name = graphene.String(required=True, description="Display name.")


class LanguageInfo(graphene.ObjectType):
    """A language, by ISO 639 code."""

    code = graphene.String(required=True, description="ISO 639 code (BCP 47 subtags allowed), e.g. `de`, `pt-BR`.")
    name = graphene.String(required=True, description="English name of the language.")

    @plain
    def resolve_name(code, info):
        return language_name(code)

    @plain
    def resolve_code(code, info):
        return code


class AuthorType(graphene.ObjectType):
    """A writer."""

    class Meta:
        name = "Author"

    id = graphene.ID(required=True, description="Database id.")
    slug = graphene.String(required=True, description="URL name: /authors/<slug>.")
    name = graphene.String(required=True, description="Name as usually written in English.")
    names = graphene.List(graphene.NonNull(lambda: AuthorNameType), required=True,
                          description="The name in other languages.")
    birth_year = graphene.Int(description="Year of birth (negative: BCE).")
    death_year = graphene.Int(description="Year of death (negative: BCE).")
    country = graphene.String(description="Country or region.")
    biography = graphene.String(description="A short biography.")
    works = graphene.List(graphene.NonNull(lambda: WorkType), required=True,
                          description="Works by this author, by title.")

    def resolve_names(author, info):
        return author.names

    def resolve_works(author, info):
        return loaders.works_of_author(info.context).load(author.id)


class AuthorNameType(graphene.ObjectType):
    """An author's name in one language."""

    class Meta:
        name = "AuthorName"

    language = graphene.String(required=True, description="ISO 639 code.")
    name = graphene.String(required=True, description="The name in that language.")


class TranslatorType(graphene.ObjectType):
    """Who made a translation: a registered user or a named (often historical) translator."""

    class Meta:
        name = "Translator"

    name = graphene.String(required=True, description="Display name.")
    username = graphene.String(description="Tercul user name when the translator has an account.")


class TranslationType(graphene.ObjectType):
    """A published translation of a work."""

    class Meta:
        name = "Translation"

    id = graphene.ID(required=True, description="Database id.")
    key = graphene.String(required=True, description="Identifies the translation within its work: `de`, `de-2`.")
    language = graphene.Field(LanguageInfo, required=True, description="Language of the translation.")
    title = graphene.String(required=True, description="Title in the translation's language.")
    translator = graphene.Field(TranslatorType, description="Who translated it, when known.")
    source = graphene.String(description="Where the text comes from.")
    licence = graphene.String(description="Licence or copyright status.")
    published_at = graphene.DateTime(description="When it was first published on Tercul.")
    work = graphene.Field(lambda: WorkType, required=True, description="The work translated.")
    text = graphene.Field(TextRevisionType, description="The published text.")
    possibly_outdated = graphene.Boolean(
        required=True, description="True when the original has changed since this translation was made.")
    view_count = graphene.Int(required=True, description="Views of the translation's own page (each reader once "
                                                         "a day; written every minute).")

    def resolve_view_count(t, info):
        return loaders.view_count(info.context, "translation").load(t.id)

    like_count = graphene.Int(required=True, description="How many readers like this translation.")
    viewer_has_liked = graphene.Boolean(required=True, description="The signed-in user likes it (false if anonymous).")

    def resolve_viewer_has_liked(t, info):
        from .social import viewer_has_liked

        return viewer_has_liked(info, "translation", t.id)

    def resolve_language(t, info):
        return t.language

    def resolve_translator(t, info):
        if t.translator_id is not None:
            return loaders.then(loaders.user_by_id(info.context).load(t.translator_id),
                                lambda u: TranslatorType(name=u.display_name, username=u.username) if u else None)
        return TranslatorType(name=t.translator_name, username=None) if t.translator_name else None

    def resolve_work(t, info):
        return loaders.work_by_id(info.context).load(t.work_id)

    def resolve_text(t, info):
        return _revision(info, t.current_revision_id)

    def resolve_possibly_outdated(t, info):
        return _translation_outdated(info, t)


def _revision(info, revision_id):
    return lookups.revision(info.context.session, revision_id)


def _translation_outdated(info, t):
    return loaders.translation_outdated(info.context).load(t.id)


class WorkType(graphene.ObjectType):
    """A literary work in its original language."""

    class Meta:
        name = "Work"

    id = graphene.ID(required=True, description="Database id.")
    slug = graphene.String(required=True, description="URL name: /works/<slug>.")
    title = graphene.String(required=True, description="Title in the original language.")
    language = graphene.Field(LanguageInfo, required=True, description="Language of the original.")
    form = graphene.Field(Form, required=True, description="Poetry, prose or drama.")
    period = graphene.String(description="Literary period.")
    date_from = graphene.Int(description="Composition began (year; negative: BCE).")
    date_to = graphene.Int(description="Composition ended (year).")
    source = graphene.String(description="Where the text comes from.")
    licence = graphene.String(description="Licence or copyright status.")
    created_at = graphene.DateTime(required=True, description="When the work was added to Tercul.")
    translation_count = graphene.Int(required=True, description="Number of published translations.")
    view_count = graphene.Int(required=True, description="Views of the work's page (each reader once a day; "
                                                         "written every minute).")
    authors = graphene.List(graphene.NonNull(AuthorType), required=True, description="Authors, in order.")
    genres = graphene.List(graphene.NonNull(Term), required=True, description="Genres.")
    tags = graphene.List(graphene.NonNull(Term), required=True, description="Tags.")
    translations = graphene.List(
        graphene.NonNull(TranslationType), required=True, description="Published translations, by language.",
        language=graphene.String(description="Only translations into this language (ISO 639)."))
    parent = graphene.Field(lambda: WorkType, description="The collection this work belongs to (e.g. The Sonnets).")
    parts = graphene.List(graphene.NonNull(lambda: WorkType), required=True,
                          description="Works inside this one (e.g. each sonnet), in order.")
    text = graphene.Field(TextRevisionType, description="The published original text; null for a collection.")
    like_count = graphene.Int(required=True, description="How many readers like this work.")
    bookmark_count = graphene.Int(required=True, description="How many readers have it on their reading list.")
    viewer_has_liked = graphene.Boolean(required=True, description="The signed-in user likes it (false if anonymous).")

    def resolve_viewer_has_liked(w, info):
        from .social import viewer_has_liked

        return viewer_has_liked(info, "work", w.id)

    def resolve_language(w, info):
        return w.language

    def resolve_form(w, info):
        return w.form

    def resolve_view_count(w, info):
        return loaders.view_count(info.context, "work").load(w.id)

    def resolve_authors(w, info):
        return loaders.authors_of_work(info.context).load(w.id)

    def resolve_genres(w, info):
        return loaders.terms_of_work(info.context, "genres").load(w.id)

    def resolve_tags(w, info):
        return loaders.terms_of_work(info.context, "tags").load(w.id)

    def resolve_translations(w, info, language=None):
        code = _language_arg(language, "language") if language else None
        return loaders.then(
            loaders.translations_of_work(info.context).load(w.id),
            lambda ts: [t for t in ts if code is None or t.language == code])

    def resolve_parent(w, info):
        return loaders.work_by_id(info.context).load(w.parent_id) if w.parent_id else None

    def resolve_parts(w, info):
        return loaders.parts_of_work(info.context).load(w.id)

    def resolve_text(w, info):
        return _revision(info, w.current_revision_id)


def _language_arg(value: str, name: str) -> str:
    try:
        return normalize_language(value, name)
    except Invalid as exc:
        raise bad_input(exc.message, name) from None


WorkConnection = connection(WorkType, "Work", "A page of works.")
AuthorConnection = connection(AuthorType, "Author", "A page of authors.")
TranslationConnection = connection(TranslationType, "Translation", "A page of translations.")


class LanguageCount(graphene.ObjectType):
    """How many texts the library holds in a language."""

    language = graphene.Field(LanguageInfo, required=True, description="The language.")
    texts = graphene.Int(required=True, description="Originals and translations in this language.")


class FormCount(graphene.ObjectType):
    """How many works have a form."""

    form = graphene.Field(Form, required=True, description="The form.")
    works = graphene.Int(required=True, description="Number of works.")


class Stats(graphene.ObjectType):
    """What is in the library."""

    works = graphene.Int(required=True, description="Works, counted as `works` and the /works page count them: "
                                                    "a collection once, its parts not separately.")
    translations = graphene.Int(required=True, description="Published translations.")
    authors = graphene.Int(required=True, description="Authors.")
    languages = graphene.Int(required=True, description="Languages of the works' originals and of published "
                                                        "translations.")
    by_language = graphene.List(graphene.NonNull(LanguageCount), required=True,
                                description="Works and published translations per language.")
    by_form = graphene.List(graphene.NonNull(FormCount), required=True,
                            description="Works per form, counted as `works` counts them.")


class Query(graphene.ObjectType):
    work = graphene.Field(WorkType, description="One work, by slug or id.",
                          slug=graphene.String(description="The work's URL name."),
                          id=graphene.ID(description="The work's database id."))
    author = graphene.Field(AuthorType, description="One author, by slug or id.",
                            slug=graphene.String(description="The author's URL name."),
                            id=graphene.ID(description="The author's database id."))
    authors = graphene.Field(AuthorConnection, required=True, description="Authors by name.",
                             **connection_args())
    translation = graphene.Field(TranslationType, description="One translation, by id or by work slug and key.",
                                 id=graphene.ID(description="The translation's database id."),
                                 work_slug=graphene.String(description="The work's URL name."),
                                 key=graphene.String(description="The translation's key within the work (`de`)."))
    translations = graphene.Field(
        TranslationConnection, required=True, description="Published translations, newest first.",
        language=graphene.String(description="Only this language (ISO 639)."), **connection_args())
    stats = graphene.Field(Stats, required=True, description="Counts of what is in the library.")

    def resolve_work(root, info, slug=None, id=None):
        return _one(info, lookups.work, slug, id)

    def resolve_author(root, info, slug=None, id=None):
        return _one(info, lookups.author, slug, id)

    def resolve_authors(root, info, **args):
        session = info.context.session
        return paginate(AuthorConnection, args, lambda: lookups.count_authors(session),
                        lambda o, n: lookups.authors_by_name(session, offset=o, limit=n))

    def resolve_translation(root, info, id=None, work_slug=None, key=None):
        if id is not None:
            return lookups.published_translation(info.context.session, id=int_id(id))
        if work_slug and key:
            return lookups.published_translation(info.context.session, work_slug=work_slug, key=key)
        raise bad_input("Pass `id`, or `workSlug` and `key`.")

    def resolve_translations(root, info, language=None, **args):
        session = info.context.session
        code = _language_arg(language, "language") if language else None
        return paginate(
            TranslationConnection, args, lambda: lookups.count_published_translations(session, code),
            lambda o, n: lookups.newest_translations(session, language=code, offset=o, limit=n))

    def resolve_stats(root, info):
        s = catalog_service.library_stats(info.context.session)
        return Stats(works=s.works, translations=s.translations, authors=s.authors, languages=s.languages,
                     by_language=[LanguageCount(language=lang, texts=n) for lang, n in s.by_language],
                     by_form=[FormCount(form=f, works=n) for f, n in s.by_form])


def _one(info, find, slug, id):
    if (slug is None) == (id is None):
        raise bad_input("Pass exactly one of `slug` and `id`.")
    if id is not None:
        return find(info.context.session, id=int_id(id))
    return find(info.context.session, slug=slug)


class Mutation(graphene.ObjectType):
    pass
