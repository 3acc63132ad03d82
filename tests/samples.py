"""Small made-up texts for tests (never real literature)."""
from tercul.importers.bundle_model import AuthorData, Bundle, TranslationData, WorkData
from tercul.texts.model import Division, Line, Text


def sample_bundle() -> Bundle:
    poem = Text(divisions=[
        Division(key="1", kind="stanza", lines=[Line("1.1", "Grey stones under rain"),
                                                Line("1.2", "  and a gate left open", indent=2)]),
        Division(key="2", kind="stanza", lines=[Line("2.1", "The orchard keeps its counsel")]),
    ])
    poem_de = Text(divisions=[
        Division(key="1", kind="stanza", lines=[Line("1.1", "Graue Steine im Regen und ein offenes Tor")]),
        Division(key="2", kind="stanza", lines=[Line("2.1", "Der Obstgarten schweigt")]),
    ])
    play = Text(divisions=[Division(key="1", kind="act", title="Act 1", divisions=[
        Division(key="1.1", kind="scene", title="Scene 1", lines=[
            Line("1.1.1", "Enter two travellers.", kind="stage"),
            Line("1.1.2", "Is this the road?", speaker="FIRST"),
            Line("1.1.3", "It was, once.", speaker="SECOND"),
        ])])])
    return Bundle(
        authors=[AuthorData(slug="ann-example", name="Ann Example", names={"de": "Anna Beispiel"},
                            birth_year=1801, death_year=1850, country="Nowhere", biography="Made up.")],
        works=[
            WorkData(slug="collected", title="Collected Poems", language="en", form="poetry", text=None,
                     authors=["ann-example"]),
            WorkData(slug="grey-stones", title="Grey Stones", language="en", form="poetry", text=poem,
                     authors=["ann-example"], genres=["lyric"], tags=["rain", "gates"], period="Romanticism",
                     date_from=1830, date_to=1831, parent="collected", position=1, source="Invented",
                     licence="CC0",
                     translations=[TranslationData(language="de", title="Graue Steine", text=poem_de,
                                                   translator_name="Hans Muster", source="Invented",
                                                   licence="CC0", alignment={"1.1": ["1.1", "1.2"]})]),
            WorkData(slug="the-road", title="The Road", language="en", form="drama", text=play,
                     authors=["ann-example"]),
        ],
        origin="sample",
    )
