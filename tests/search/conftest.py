"""Search tests: a fresh index folder per test, filled from the per-test database."""
from __future__ import annotations

import pytest

from tercul.search.tantivy_backend import TantivyBackend


@pytest.fixture
def backend(tmp_path):
    backend = TantivyBackend(tmp_path / "index", writer_heap=15_000_000)
    yield backend
    backend.close()


def text_of(*stanzas: list[str]):
    """A text with one stanza per list of lines, keyed ``1.1``, ``1.2``..."""
    from tercul.texts.model import Division, Line, Text

    return Text(divisions=[Division(key=str(s), kind="stanza", lines=[
        Line(key=f"{s}.{n}", text=line) for n, line in enumerate(lines, 1)]) for s, lines in enumerate(stanzas, 1)])


@pytest.fixture
def library(session):
    """Three works in three languages, two of them translated; committed in the test's transaction."""
    from factories import AuthorFactory

    from tercul.services import catalog

    keats = AuthorFactory(slug="keats", name="John Keats")
    goethe = AuthorFactory(slug="goethe", name="Johann Wolfgang von Goethe")
    woolf = AuthorFactory(slug="woolf", name="Virginia Woolf", birth_year=1882)

    def work(slug, title, language, form, authors, genres, tags, year, text, translations=()):
        w, _ = catalog.upsert_work(session, catalog.WorkFields(
            slug=slug, title=title, language=language, form=form, authors=[a.slug for a in authors],
            genres=genres, tags=tags, date_from=year, period="Romanticism" if year < 1850 else "Modernism"))
        catalog.set_work_text(session, w, text)
        for lang, t_title, t_text in translations:
            catalog.upsert_translation(session, w, language=lang, title=t_title, text=t_text,
                                       translator_name=f"Translator {lang}")
        return w

    autumn = work("to-autumn", "To Autumn", "en", "poetry", [keats], ["Ode"], ["nature", "time"], 1819, text_of(
        ["Season of mists and mellow fruitfulness,", "Close bosom-friend of the maturing sun;"],
        ["Where are the songs of spring? Ay, where are they?", "Think not of them, thou hast thy music too"]),
        translations=[
            ("de", "An den Herbst", text_of(["Zeit der Nebel und der reifen Fruchtbarkeit,",
                                              "Du Busenfreund der reifenden Sonne;"],
                                             ["Wo sind die Lieder des Frühlings? Ach, wo sind sie?",
                                              "Denk nicht an sie, du hast auch deine Musik"])),
            ("fr", "À l'automne", text_of(["Saison des brumes et de la douce fécondité,",
                                            "Amie intime du soleil qui mûrit ;"],
                                           ["Où sont les chants du printemps ? Ah, où sont-ils ?",
                                            "N'y pense pas, tu as aussi ta musique"]))])
    night = work("wanderers-nightsong", "Wandrers Nachtlied", "de", "poetry", [goethe], ["Lyric"], ["night"], 1780,
                 text_of(["Über allen Gipfeln", "Ist Ruh,", "In allen Wipfeln", "Spürest du",
                          "Kaum einen Hauch;"], ["Die Vögelein schweigen im Walde.", "Warte nur, balde",
                                                 "Ruhest du auch."]))
    waves = work("the-waves", "The Waves", "en", "prose", [woolf], ["Novel"], ["sea", "time"], 1931, text_of(
        ["The sun had not yet risen. The sea was indistinguishable from the sky, except that the sea "
         "was slightly creased as if a cloth had wrinkles in it."],
        ["Gradually as the sky whitened a dark line lay on the horizon dividing the sea from the sky."]))
    session.commit()
    return {"autumn": autumn, "night": night, "waves": waves, "keats": keats, "goethe": goethe, "woolf": woolf}


@pytest.fixture
def indexed(library, session, backend):
    """The library, indexed with embeddings."""
    from tercul.search import indexer

    indexer.reindex(session, backend)
    return library
