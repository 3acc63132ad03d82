"""A small made-up library for the reading pages (never real literature).

Used by the browser tests (committed into the live server's database) and by the web
tests: a poem with three translations, one of which divides a stanza differently and
one written right to left; a two-act play long enough to be read part by part; a
collection with three poems; and enough other works to filter and paginate.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from tercul.texts.model import Division, Line, Text
from tercul.services import catalog

LANTERN = [
    ["At dusk the keeper climbs the stair", "and wakes the lamp with patient hands;",
     "the harbour holds its breath of salt,", "the boats lean in toward the light."],
    ["No ship has asked him for his name,", "no captain ever turned to wave;",
     "he trims the wick, he wipes the glass,", "he counts the hours by the tide."],
    ["And when the morning takes his flame", "he sleeps beneath the gulls' complaint,",
     "and dreams of nothing but the sea", "that keeps the promise he has kept."],
]
LANTERN_DE = [
    ["Am Abend steigt der Wärter auf", "und weckt die Lampe, still und sacht;",
     "der Hafen hält den Salzhauch an,", "die Boote neigen sich dem Licht."],
    ["Kein Schiff hat je nach ihm gefragt,", "kein Kapitän hat ihm gewinkt;",
     "er putzt den Docht, er wischt das Glas,", "er zählt die Stunden nach der Flut."],
    ["Und nimmt der Morgen ihm die Flamme,", "so schläft er unterm Möwenschrei",
     "und träumt von nichts als von dem Meer,", "das hält, was er gehalten hat."],
]
LANTERN_FR = [
    ["Au soir le gardien gravit l'escalier", "et réveille la lampe de ses mains patientes ;",
     "le port retient son souffle de sel,", "les barques se penchent vers la lumière."],
    ["Nul navire ne lui a demandé son nom,", "nul capitaine ne s'est retourné pour saluer ;",
     "il taille la mèche, il essuie le verre,", "il compte les heures selon la marée."],
    # the French stanza 3 has three lines: aligned by stanza, not by line
    ["Et quand le matin lui prend sa flamme, il dort sous la plainte des mouettes,",
     "et ne rêve que de la mer", "qui tient la promesse qu'il a tenue."],
]
LANTERN_AR = [
    ["عند الغسق يصعد الحارس الدرج", "ويوقظ المصباح بيدين صبورتين؛",
     "يحبس الميناء أنفاسه المالحة،", "وتميل القوارب نحو الضوء."],
    ["لم تسأله سفينة عن اسمه،", "ولم يلتفت قبطان ليلوّح له؛",
     "يقصّ الفتيل ويمسح الزجاج،", "ويعدّ الساعات بالمدّ."],
    ["وحين يأخذ الصباح لهبه", "ينام تحت شكوى النوارس،",
     "ولا يحلم إلا بالبحر", "الذي يفي بالوعد الذي وفى به."],
]


def stanzas(text: list[list[str]], indent_even: bool = True) -> Text:
    return Text(divisions=[
        Division(key=str(s), kind="stanza", lines=[
            Line(key=f"{s}.{n}", text=line, indent=2 if indent_even and n % 2 == 0 else 0)
            for n, line in enumerate(lines, 1)])
        for s, lines in enumerate(text, 1)])


SPEAKERS = ["ELSA", "THE FERRYMAN", "A TRAVELLER"]
PHRASES_DE = ["Der Fluss steht höher als am Mittag", "Dann warten wir, bis das Wasser fällt",
              "Ich kann nicht warten; die Stadt erwartet mich", "An einer überfluteten Furt erwartet man niemanden",
              "Du sprichst, als wäre der Fluss dein Freund", "Er war meines Vaters, und er wird meiner sein",
              "Dann rudere mich hinüber, ich zahle doppelt", "Der Fluss nimmt seinen Lohn nicht in Münzen"]
PHRASES = ["The river is higher than it was at noon", "Then we must wait until the water falls",
           "I cannot wait; the town expects me", "No one is expected by a flooded ford",
           "You speak as if the river were your friend", "It was my father's, and it will be mine",
           "Then row me over, and I'll pay you twice", "The river does not take its fare in coin"]


def play(german: bool = False, acts: int = 2, scenes: int = 3, speeches: int = 30) -> Text:
    """A two-act play of 366 lines (183 an act): long enough to be read part by part."""
    out = []
    phrases = PHRASES_DE if german else PHRASES
    for a in range(1, acts + 1):
        act = Division(key=str(a), kind="act", title=f"{'Akt' if german else 'Act'} {a}")
        for s in range(1, scenes + 1):
            key = f"{a}.{s}"
            lines = [Line(key=f"{key}.0", text="Am Ufer. Abend." if german else "A riverbank. Evening.",
                          kind="stage")]
            n = 0
            for sp in range(speeches):
                speaker = SPEAKERS[(a + s + sp) % len(SPEAKERS)]
                for _ in range(1 + (sp % 3)):
                    n += 1
                    phrase = phrases[(a * 7 + s * 3 + n) % len(phrases)]
                    lines.append(Line(key=f"{key}.{n}", text=f"{phrase}.", speaker=speaker))
            act.divisions.append(Division(key=key, kind="scene",
                                          title=f"{'Szene' if german else 'Scene'} {s}", lines=lines))
        out.append(act)
    return Text(divisions=out)


FILLER = [  # title, language, form, century year, genre
    ("Winter Orchard", "en", "poetry", 1821, "lyric"), ("Die Glocke im Nebel", "de", "poetry", 1832, "ballad"),
    ("La Maison des Vents", "fr", "prose", 1866, "short story"), ("Il Ponte di Sale", "it", "poetry", 1590, "sonnet"),
    ("El Jardín Cerrado", "es", "prose", 1604, "novel"), ("Северный ветер", "ru", "poetry", 1833, "lyric"),
    ("The Copper Kettle", "en", "drama", 1899, "comedy"), ("Der Brief", "de", "prose", 1911, "short story"),
    ("Chanson du Passeur", "fr", "poetry", 1850, "ballad"), ("The Glass Harbour", "en", "prose", 1870, "novel"),
]


def seed_reading_library(session: Session) -> None:
    """Write the library through the catalog services (the caller commits)."""
    catalog.upsert_author(session, slug="mara-vell", name="Mara Vell", names={"de": "Mara Vell", "ar": "مارا فيل"},
                                 birth_year=1842, death_year=1901, country="Nowhere",
                                 biography="An invented poet of harbours and lamps, made up for Tercul's tests.")
    catalog.upsert_author(session, slug="tobias-renn", name="Tobias Renn", birth_year=1790, death_year=1851)
    lantern, _ = catalog.upsert_work(session, catalog.WorkFields(
        slug="the-lantern-keeper", title="The Lantern Keeper", language="en", form="poetry",
        authors=["mara-vell"], genres=["lyric"], tags=["sea", "night"], period="Victorian", date_from=1871,
        source="Made up for Tercul's tests", licence="CC0"))
    catalog.set_work_text(session, lantern, stanzas(LANTERN))
    catalog.upsert_translation(session, lantern, language="de", title="Der Leuchtturmwärter",
                               text=stanzas(LANTERN_DE), translator_name="Hanna Weiss", licence="CC0")
    catalog.upsert_translation(session, lantern, language="fr", title="Le Gardien de la lanterne",
                               text=stanzas(LANTERN_FR, indent_even=False), translator_name="Luc Marchand",
                               licence="CC0")
    catalog.upsert_translation(session, lantern, language="ar", title="حارس الفانوس",
                               text=stanzas(LANTERN_AR, indent_even=False), translator_name="Samir Haddad",
                               licence="CC0")
    ferry, _ = catalog.upsert_work(session, catalog.WorkFields(
        slug="the-ferrymans-daughter", title="The Ferryman's Daughter", language="en", form="drama",
        authors=["tobias-renn"], genres=["tragedy"], tags=["river"], period="Romanticism", date_from=1828))
    catalog.set_work_text(session, ferry, play())
    catalog.upsert_translation(session, ferry, language="de", title="Die Tochter des Fährmanns",
                               text=play(german=True), translator_name="Hanna Weiss")
    songs, _ = catalog.upsert_work(session, catalog.WorkFields(
        slug="harbour-songs", title="Harbour Songs", language="en", form="poetry", authors=["mara-vell"],
        genres=["lyric"], tags=["sea"], date_from=1880))
    for i, (title, lines) in enumerate([("Low Tide", LANTERN[0]), ("Gulls", LANTERN[1]), ("Morning", LANTERN[2])], 1):
        part, _ = catalog.upsert_work(session, catalog.WorkFields(
            slug=f"harbour-songs-{i}", title=title, language="en", form="poetry", authors=["mara-vell"],
            genres=["lyric"], tags=["sea"], parent="harbour-songs", position=i, date_from=1880))
        catalog.set_work_text(session, part, stanzas([lines]))
        catalog.upsert_translation(session, part, language="de", title=f"{title} (de)",
                                   text=stanzas([LANTERN_DE[i - 1]]), translator_name="Hanna Weiss")
    for n, (title, language, form, year, genre) in enumerate(FILLER, 1):
        work, _ = catalog.upsert_work(session, catalog.WorkFields(
            slug=f"filler-{n}", title=title, language=language, form=form, authors=["tobias-renn"],
            genres=[genre], tags=[], date_from=year))
        catalog.set_work_text(session, work, stanzas([[f"{title}, line {k}" for k in range(1, 5)]]))
        if n % 2:
            other = "de" if language != "de" else "en"
            catalog.upsert_translation(session, work, language=other, title=f"{title} ({other})",
                                       text=stanzas([[f"{title} ({other}), line {k}" for k in range(1, 5)]]))
    session.flush()
