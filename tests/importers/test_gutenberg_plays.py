"""Plays (tercul.importers.gutenberg.plays), alone: a made-up scene in, divisions out."""
from __future__ import annotations

from tercul.importers.gutenberg.plays import count_drama_signals, parse_drama

SCENE = """\
PERSONS OF THE PLAY.

BRISK, a broom.
DUSTPAN, her friend.

ACT I.

SCENE I. A cupboard.

[Enter BRISK.]

BRISK.
Who left the door ajar?
      Not I.

DUSTPAN. [Aside.]
She always asks.

[Exit BRISK.]

ACT II. SCENE I.

DUSTPAN.
Alone at last.
"""


def numbered(text: str) -> list[tuple[int, str]]:
    return [(i, t) for i, t in enumerate(text.split("\n"), 1)]


def test_acts_scenes_speeches_with_speakers_and_directions():
    text = parse_drama(numbered(SCENE), "brooms.txt")
    top = text.divisions
    assert [(d.key, d.kind, d.title) for d in top] == [
        ("persons", "section", "Persons of the Play"), ("1", "act", "Act I"), ("2", "act", "Act II")]
    assert [ln.text for ln in top[0].lines] == ["BRISK, a broom.", "DUSTPAN, her friend."]
    scene = top[1].divisions[0]
    assert (scene.key, scene.title) == ("1.1", "Scene I. A cupboard.")
    brisk, dustpan = scene.divisions
    assert [(ln.key, ln.kind, ln.speaker, ln.text) for ln in brisk.lines] == [
        ("1.1.1.1", "stage", None, "Enter BRISK."),
        ("1.1.1.2", "line", "BRISK", "Who left the door ajar?"),
        ("1.1.1.3", "line", "BRISK", "Not I."),
    ]
    assert brisk.lines[2].indent == 6
    # a direction given with the speaker's name, and "[Exit]" at the end of the scene
    assert [(ln.kind, ln.text) for ln in dustpan.lines] == [
        ("stage", "Aside."), ("line", "She always asks."), ("stage", "Exit BRISK.")]
    # "ACT II. SCENE I." on one line opens both
    assert top[2].divisions[0].key == "2.1"
    assert top[2].divisions[0].divisions[0].lines[0].text == "Alone at last."


def test_same_text_same_keys():
    first = parse_drama(numbered(SCENE), "a.txt")
    again = parse_drama(numbered(SCENE), "b.txt")
    keys = [ln.key for ln in first.iter_lines()]
    assert keys == [ln.key for ln in again.iter_lines()] and len(keys) == len(set(keys))


def test_drama_signals_count_headings_and_speeches():
    assert count_drama_signals(numbered(SCENE)) == (3, 3)
    assert count_drama_signals(numbered("A verse about spoons.\nAnd forks.")) == (0, 0)
