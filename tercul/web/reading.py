"""Browsing and reading works, translations and authors."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, request

from ..extensions import db
from ..security import acting_user
from ..services import reading
from ..services.errors import NotFound
from ..services.languages import language_name
from ..services.social import comments
from ..texts.rows import ReaderView
from .htmx import render_cached, render_page
from .stats import count_request_view

bp = Blueprint("reading", __name__)

# Rendered work pages are cached under their work's stamp, so a changed work or
# translation shows at once; this bounds what the stamp does not cover (an author's
# new name, a part added to a collection).
WORK_HTML_TTL = 300
# A work's stamp is itself kept this many seconds (config READING_STAMP_SECONDS): a
# page read many times a second is then served without touching the database, and
# a change shows within that time.
STAMP_SECONDS = 2


def _page_size() -> int:
    return reading.page_size(current_app.config.get("PAGE_SIZE"))


def _flag(name: str) -> bool:
    return (request.args.get(name) or "").strip().lower() in ("1", "on", "true", "yes")


@bp.get("/works")
def works():
    """Browse works: filters, sorting and pages, all held in the URL."""
    filters, notices = reading.clean_browse_args(request.args)
    page, per_page = reading.parse_page(request.args.get("page")), _page_size()

    version = reading.library_version(db.session)

    def build():
        result = reading.browse_works(db.session, filters, page=page, per_page=per_page, notices=notices,
                                      version=version)
        return {"result": result, "sorts": reading.SORTS}

    # additions show at once (they change the version); other changes within COUNT_TTL
    key = ("works", version, sorted(filters.args().items()), page, per_page, tuple(notices))
    return render_cached("reading/works.html", "reading/_browse.html", "reading/_browse.html", key, build,
                         reading.COUNT_TTL)


@bp.get("/works/<slug>")
def work(slug: str):
    """A work: its facts, its text beside up to three translations, its parts and translations."""
    requested = None
    if "with" in request.args:
        requested = [v for raw in request.args.getlist("with") for v in raw.split(",")]
    preferred = [lang for lang, _q in request.accept_languages if lang != "*"][:4]
    part, line, swap = request.args.get("part"), request.args.get("line"), _flag("swap")
    parts_page, per_page = reading.parse_page(request.args.get("page")), _page_size()
    translations_page = reading.parse_page(request.args.get("tpage"))
    stamp = _work_stamp(slug)
    if stamp is None:
        abort(404, f"There is no work “{slug[:80]}” in the library.")
    if stamp.id:
        count_request_view("work", stamp.id)

    def build():
        try:
            page = reading.work_page(db.session, slug, requested=requested, part=part, line=line, swap=swap,
                                     parts_page=parts_page, per_page=per_page, translations_page=translations_page,
                                     preferred_languages=preferred)
        except NotFound as exc:
            abort(404, exc.message)
        # the line markers of the work's comments: the stamp changes with them
        markers = (comments.line_markers(db.session, comments.resolve_target(db.session, None, "work", page.work.id))
                   if stamp.comments else {})
        return {"page": page, "view": page.reader, "slug": page.work.slug, "comment_markers": markers}

    key = ("work", slug, stamp.version, requested, part, line, swap, parts_page, translations_page, per_page,
           tuple(preferred) if requested is None else ())
    response = render_cached("reading/work.html", "reading/_work.html", "reading/_reader.html", key, build,
                             WORK_HTML_TTL, title=stamp.title, margin=request.args.get("margin"),
                             work_id=stamp.id)
    if requested is None:
        response.vary.add("Accept-Language")  # the translation shown by default depends on it
    return response


def _work_stamp(slug: str) -> reading.WorkStamp | None:
    # tests change works between requests within a second: they read the stamp every time
    seconds = current_app.config.get("READING_STAMP_SECONDS", 0 if current_app.testing else STAMP_SECONDS)
    return reading.work_stamp(db.session, slug, keep_seconds=seconds)


@bp.get("/works/<slug>/translations/<key>")
def translation(slug: str, key: str):
    """One translation alone, for reading."""
    try:
        page = reading.translation_page(db.session, slug, key, part=request.args.get("part"),
                                        line=request.args.get("line"))
        target = comments.translation_target(db.session, acting_user(), page.work.id, page.translation.key)
    except NotFound as exc:
        abort(404, exc.message)
    count_request_view("translation", page.translation.id)
    return render_page("reading/translation.html", "reading/_text.html", page=page, view=page.reader,
                       slug=page.work.slug, comment_target=target,
                       comment_markers=comments.line_markers(db.session, target))


@bp.get("/authors")
def authors():
    """Authors A to Z, with their works' languages."""
    result = reading.browse_authors(db.session, page=reading.parse_page(request.args.get("page")),
                                    per_page=_page_size(), letter=request.args.get("letter"),
                                    language=request.args.get("lang"))
    return render_page("reading/authors.html", "reading/_authors.html", result=result)


@bp.get("/authors/<slug>")
def author(slug: str):
    """An author and their works."""
    try:
        page = reading.author_page(db.session, slug, page=reading.parse_page(request.args.get("page")),
                                   per_page=_page_size())
    except NotFound as exc:
        abort(404, exc.message)
    return render_page("reading/author.html", "reading/_author_works.html", page=page)


# ---- template helpers shared by the reading templates

@bp.app_template_filter("text_direction")
def text_direction(code: str) -> str:
    return reading.text_direction(code)


@bp.app_template_filter("century_label")
def century_label(century: int) -> str:
    return reading.century_label(century)


@bp.app_template_global()
def reader_args(view: ReaderView, **changes: Any) -> dict[str, Any]:
    """Query arguments that reproduce the reading view ``view``, with ``changes`` applied."""
    args: dict[str, Any] = {"with": list(view.selected) or [""]}
    if view.part is not None and len(view.parts) > 1:
        args["part"] = view.part.key
    if view.swap:
        args["swap"] = 1
    args.update(changes)
    return {k: v for k, v in args.items() if v is not None and v is not False}


@bp.app_template_global()
def reader_args_for(view: ReaderView):
    """``reader_args`` bound to ``view``, for macros that build links to other parts."""
    return lambda **changes: reader_args(view, **changes)


@bp.app_context_processor
def _reading_limits() -> dict[str, Any]:
    return {"max_translation_columns": reading.MAX_TRANSLATION_COLUMNS}


@bp.app_template_global()
def language_choices(counts: list[tuple[str, int]]) -> list[tuple[str, str, int]]:
    """(code, label, works), labels told apart where two would read the same."""
    return reading.language_choices(counts)


@bp.app_template_global()
def language_label(code: str) -> str:
    """``German`` for ``de``; the code itself when it has no name."""
    return language_name(code)
