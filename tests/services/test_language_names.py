"""Language names people can tell apart (issue 13): one helper for every page."""
import pytest

from tercul.services.errors import Invalid
from tercul.services.languages import describe_language, language_choice, language_name, parse_language_choice


@pytest.mark.parametrize("code, name, native, variant", [
    ("de", "German", "Deutsch", None),
    ("de-1901", "German (1901 orthography)", "Deutsch", "1901 orthography"),
    ("zh-Hans", "Chinese (Simplified)", "中文（简体）", "Simplified"),
    ("pt-BR", "Portuguese (Brazil)", "português (Brasil)", "Brazil"),
    ("el-polyton", "Greek (polytonic)", "Ἑλληνικά", "polytonic"),
    ("qqq", "qqq", "qqq", None),
])
def test_names_native_names_and_variants(code, name, native, variant):
    names = describe_language(code)
    assert (names.name, names.native, names.variant) == (name, native, variant)
    assert language_name(code) == name


def test_variants_of_one_language_are_told_apart():
    assert len({language_choice(c) for c in ("de", "de-1901", "zh-Hans", "zh-Hant", "sr-Latn", "sr-Cyrl")}) == 6
    assert language_choice("de") == "German · Deutsch" and language_choice("en") == "English"


def test_a_picker_sends_back_a_code_or_what_it_showed():
    library = ["de", "de-1901", "fr", "zh-Hans"]
    assert parse_language_choice("de-1901", library) == "de-1901"
    assert parse_language_choice("German (1901 orthography) · Deutsch", library) == "de-1901"
    assert parse_language_choice("  chinese (simplified) ", library) == "zh-Hans"
    assert parse_language_choice("Deutsch", library) == "de"
    assert parse_language_choice("FR", library) == "fr"
    with pytest.raises(Invalid):
        parse_language_choice("Klingonese", library)
    with pytest.raises(Invalid):
        parse_language_choice("", library)
