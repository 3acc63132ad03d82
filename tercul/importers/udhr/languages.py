"""Language tags for the declaration files: ISO 639-1 where one exists, else ISO 639-3,
with script/region/variant subtags; which file is canonical for its language."""
from __future__ import annotations

import re

# ISO 639-3 (and 639-2/T) code -> ISO 639-1 code, for every language that has one.
_ISO639_1 = dict(
    pair.split(":")
    for pair in """
aar:aa abk:ab afr:af aka:ak amh:am ara:ar arg:an asm:as ava:av ave:ae aym:ay aze:az
bak:ba bam:bm bel:be ben:bn bis:bi bod:bo bos:bs bre:br bul:bg cat:ca ces:cs cha:ch
che:ce chu:cu chv:cv cor:kw cos:co cre:cr cym:cy dan:da deu:de div:dv dzo:dz ell:el
eng:en epo:eo est:et eus:eu ewe:ee fao:fo fas:fa fij:fj fin:fi fra:fr fry:fy ful:ff
gla:gd gle:ga glg:gl glv:gv grn:gn guj:gu hat:ht hau:ha hbs:sh heb:he her:hz hin:hi
hmo:ho hrv:hr hun:hu hye:hy ibo:ig ido:io iii:ii iku:iu ile:ie ina:ia ind:id ipk:ik
isl:is ita:it jav:jv jpn:ja kal:kl kan:kn kas:ks kat:ka kau:kr kaz:kk khm:km kik:ki
kin:rw kir:ky kom:kv kon:kg kor:ko kua:kj kur:ku lao:lo lat:la lav:lv lim:li lin:ln
lit:lt ltz:lb lub:lu lug:lg mah:mh mal:ml mar:mr mkd:mk mlg:mg mlt:mt mon:mn mri:mi
msa:ms mya:my nau:na nav:nv nbl:nr nde:nd ndo:ng nep:ne nld:nl nno:nn nob:nb nor:no
nya:ny oci:oc oji:oj ori:or orm:om oss:os pan:pa pli:pi pol:pl por:pt pus:ps que:qu
roh:rm ron:ro run:rn rus:ru sag:sg san:sa sin:si slk:sk slv:sl sme:se smo:sm sna:sn
snd:sd som:so sot:st spa:es sqi:sq srd:sc srp:sr ssw:ss sun:su swa:sw swe:sv tah:ty
tam:ta tat:tt tel:te tgk:tg tgl:tl tha:th tir:ti ton:to tsn:tn tso:ts tuk:tk tur:tr
twi:tw uig:ug ukr:uk urd:ur uzb:uz ven:ve vie:vi vol:vo wln:wa wol:wo xho:xh yid:yi
yor:yo zha:za zho:zh zul:zu
tib:bo cze:cs wel:cy ger:de gre:el baq:eu per:fa fre:fr arm:hy ice:is geo:ka mac:mk
mao:mi may:ms bur:my dut:nl rum:ro slo:sk alb:sq chi:zh
""".split()
)
_ISO639_1_CODES = frozenset(_ISO639_1.values())
# Codes that are ISO 639 but name no language.
_NOT_A_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})

# Package file code -> language tag, where the package's own tag is not what we want.
_TAG_OVERRIDES = {
    "deu_1996": "de",  # current German orthography is plain "de" (deu_1901 stays de-1901)
    "ell_monotonic": "el",  # monotonic is standard modern Greek (polytonic stays el-polyton)
}
# Where several complete files give the same tag and none is the canonical file
# (file code == ISO 639-3 code), prefer these.
_PREFERRED = frozenset({"ron_2006", "hat_kreyol", "nya_chechewa", "prv", "chr_cased"})

_BCP47 = re.compile(
    r"^(?P<lang>[a-z]{2,3})"
    r"(?:-(?P<script>[A-Z][a-z]{3}))?"
    r"(?:-(?P<region>[A-Z]{2}|\d{3}))?"
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|\d[a-z0-9]{3}))*)$"
)


def language_tag(lang: str, code: str) -> str | None:
    """The Tercul language tag for a file: ISO 639-1 where one exists, else ISO 639-3,
    plus script/region/variant subtags. ``lang`` is the file's ``lang`` attribute,
    ``code`` its package file code. None when the file names no valid language."""
    if code in _TAG_OVERRIDES:
        return _TAG_OVERRIDES[code]
    parts = lang.replace("_", "-").split("-")
    primary = parts[0].lower()
    if not re.fullmatch(r"[a-z]{2,3}", primary) or primary in _NOT_A_LANGUAGE:
        return None
    if len(primary) == 3:
        primary = _ISO639_1.get(primary, primary)
    elif primary not in _ISO639_1_CODES:
        return None
    script = region = None
    variants: list[str] = []
    for p in parts[1:]:
        if re.fullmatch(r"[A-Za-z]{4}", p) and script is None and region is None:
            script = p.title()
        elif re.fullmatch(r"[A-Za-z]{2}|\d{3}", p) and region is None:
            region = p.upper()
        elif re.fullmatch(r"[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}", p):
            variants.append(p.lower())
        else:
            return None
    # The file code may say what the lang attribute does not: cmn_hans, tso_MZ, cjk_AO.
    for p in code.split("_")[1:]:
        if script is None and region is None and re.fullmatch(r"[a-z]{4}", p):
            script = p.title()
        elif region is None and re.fullmatch(r"[A-Z]{2}", p):
            region = p
    tag = "-".join([primary, *([script] if script else []), *([region] if region else []), *variants])
    return tag if _BCP47.match(tag) else None


def _is_canonical(code: str, iso6393: str) -> bool:
    """Is this the main file for its language (``fra``, ``azj_latn``, ``por_BR``)?"""
    parts = code.split("_")
    return parts[0] == iso6393 and all(
        re.fullmatch(r"[a-z]{4}|[A-Z]{2}", p) for p in parts[1:]
    )
