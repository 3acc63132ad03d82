"""Browsing works and the aligned reading view: the same services as /works."""
from __future__ import annotations

import sys

import graphene

from ...services import reading
from ...services.errors import Invalid
from ...services.languages import normalize_language
from ..core import bad_input, enum_value
from ..pagination import build_connection, connection_args, page_window
from .analysis import feature_filter
from .catalog import Form, WorkConnection


class WorkOrder(graphene.Enum):
    """How to sort works."""

    TITLE = "title"
    AUTHOR = "author"
    DATE = "date"
    RECENT = "recent"
    TRANSLATED = "translated"

    @property
    def description(self):
        return {"TITLE": "By title.", "AUTHOR": "By the first author's name.",
                "DATE": "By date of composition, oldest first.", "RECENT": "Recently added first.",
                "TRANSLATED": "Most translated first."}[self.name]


class WorkFilter(graphene.InputObjectType):
    """Filters combine with AND."""

    language = graphene.String(description="Language of the original (ISO 639).")
    translated_into = graphene.String(description="Has a published translation in this language.")
    form = Form(description="Poetry, prose or drama.")
    author = graphene.String(description="Author slug.")
    genre = graphene.String(description="Genre slug.")
    tag = graphene.String(description="Tag slug.")
    period = graphene.String(description="Literary period, as listed on the works.")
    century = graphene.Int(description="Century of composition: 19 for 1801-1900, -5 for the 5th century BCE.")
    include_parts = graphene.Boolean(description="Also list the parts of collections (each sonnet, each psalm).")
    feature = graphene.String(description="A form feature found by the analysers: `sonnet`, `rhymed`, `iambic`, "
                                          "`free-verse`, `readability-easy`... (a collection: one of its parts).")


def _language(value: str | None, field: str) -> str | None:
    if not value:
        return None
    try:
        return normalize_language(value, field)
    except Invalid as exc:
        raise bad_input(exc.message, field) from None


class ReadingColumn(graphene.ObjectType):
    """One column of the reading view: the original or a translation."""

    role = graphene.String(required=True, description="`original` or `translation`.")
    key = graphene.String(description="The translation's key (null for the original).")
    language = graphene.String(required=True, description="ISO 639 code; set `lang` on the text with it.")
    direction = graphene.String(required=True, description="`ltr` or `rtl`.")
    title = graphene.String(required=True, description="Title in this column's language.")
    translator = graphene.String(description="Who translated it.")
    out_of_date = graphene.Boolean(required=True, description="Made from an older revision of the original.")


class ReadingLine(graphene.ObjectType):
    """A line in a cell."""

    text = graphene.String(required=True, description="The line.")
    kind = graphene.String(required=True, description="`line`, `stage` or `heading`.")
    indent = graphene.Int(required=True, description="Indentation level.")
    speaker = graphene.String(description="Speaker, when it changes (drama).")
    anchor = graphene.String(description="Anchor of an original line: link to `/works/<slug>#<anchor>`.")
    number = graphene.String(description="Line number of an original line.")
    address = graphene.String(description="Where an original line is, for readers: `Act 3, scene 1, line 56` "
                                          "(lines counted in their act, scene, book or chapter).")
    aligned_to = graphene.List(graphene.NonNull(graphene.String), required=True,
                               description="Keys of the original lines this line is aligned with.")

    def resolve_address(line, info):
        return line.address or None

    def resolve_aligned_to(line, info):
        return line.keys.split() if line.keys else []


class ReadingCell(graphene.ObjectType):
    """What one column shows in a row."""

    column = graphene.Int(required=True, description="Index into `columns`.")
    coarse = graphene.Boolean(required=True, description="Aligned by division only (the line counts differ).")
    lines = graphene.List(graphene.NonNull(ReadingLine), required=True, description="The lines.")


class ReadingRow(graphene.ObjectType):
    """A row of aligned text: the same place in every column."""

    cells = graphene.List(graphene.NonNull(ReadingCell), required=True, description="One cell per column.")
    headings = graphene.List(graphene.List(graphene.String),
                             description="Per column, the division titles that start here.")
    stanza_break = graphene.Boolean(required=True, description="A new stanza or paragraph starts here.")
    coarse = graphene.Boolean(required=True, description="Aligned by division only.")


class ReadingPart(graphene.ObjectType):
    """A part of a long text, read on its own."""

    key = graphene.String(required=True, description="Pass as `part` to read it.")
    label = graphene.String(required=True, description="What it is (Act 1, Scene 2...).")


class ReadingView(graphene.ObjectType):
    """An original beside up to three translations, aligned segment by segment and line by line."""

    columns = graphene.List(graphene.NonNull(ReadingColumn), required=True, description="Columns, in order.")
    rows = graphene.List(graphene.NonNull(ReadingRow), required=True, description="Aligned rows.")
    notes = graphene.List(graphene.NonNull(graphene.String), required=True,
                          description="What the reader should know (e.g. where alignment falls back to divisions).")
    parts = graphene.List(graphene.NonNull(ReadingPart), required=True,
                          description="Parts of a long text; empty when it is read whole.")
    part = graphene.Field(ReadingPart, description="The part shown.")
    line_count = graphene.Int(required=True, description="Lines in the whole original.")


class Query(graphene.ObjectType):
    works = graphene.Field(
        WorkConnection, required=True, description="Browse works: filters combine, sorted as asked.",
        filter=graphene.Argument(WorkFilter, description="Filters."),
        order_by=graphene.Argument(WorkOrder, description="Sort order (default TITLE)."), **connection_args())
    reading_view = graphene.Field(
        ReadingView, description="A work's original beside chosen translations, aligned (null for a collection).",
        slug=graphene.String(required=True, description="The work's URL name."),
        translations=graphene.List(graphene.NonNull(graphene.String),
                                   description="Translation keys (`de`, `fr-2`), at most two; default: one."),
        part=graphene.String(description="The part of a long text to read (see `parts`)."),
        line=graphene.String(description="Read the part holding this line key."))

    def resolve_works(root, info, filter=None, order_by=None, **args):
        f = filter or {}
        filters = reading.BrowseFilters(
            language=_language(f.get("language"), "language"),
            translated_into=_language(f.get("translated_into"), "translatedInto"),
            form=enum_value(f.get("form")), author=f.get("author"), genre=f.get("genre"), tag=f.get("tag"),
            period=f.get("period"), century=f.get("century"), parts=bool(f.get("include_parts")),
            feature=feature_filter(f.get("feature")),
            sort=enum_value(order_by) or "title")
        session = info.context.session
        if "last" in args or args.get("before") is not None:
            # counting from the end needs the total first
            total, _, notices = reading.find_works(session, filters, offset=0, limit=0)
            offset, limit = page_window(args, total)
        else:
            offset, limit = page_window(args, sys.maxsize)
        total, works, notices = reading.find_works(session, filters, offset=offset, limit=limit)
        if notices:
            raise bad_input(" ".join(notices), "filter")
        return build_connection(WorkConnection, works, offset, total)

    def resolve_reading_view(root, info, slug, translations=None, part=None, line=None):
        from ...services.errors import NotFound

        try:
            page = reading.work_page(info.context.session, slug, requested=translations, part=part, line=line)
        except NotFound:
            return None
        view = page.reader
        if view is None:
            return None
        return ReadingView(
            columns=[ReadingColumn(role=c.role, key=c.key, language=c.language, direction=c.direction, title=c.title,
                                   translator=c.translator, out_of_date=c.out_of_date) for c in view.columns],
            rows=[ReadingRow(cells=[ReadingCell(column=cell.column, coarse=cell.coarse, lines=cell.lines)
                                    for cell in row.cells],
                             headings=row.headings, stanza_break=row.stanza_break, coarse=row.coarse)
                  for row in view.rows],
            notes=list(page.notices) + list(view.notes),
            parts=[ReadingPart(key=p.key, label=p.label) for p in view.parts],
            part=ReadingPart(key=view.part.key, label=view.part.label) if view.part else None,
            line_count=view.line_count)


class Mutation(graphene.ObjectType):
    pass
