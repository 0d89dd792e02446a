#!/usr/bin/env python3
"""Makes the slip's fallback font: the Han characters Noto Sans CJK SC lacks, from HanaMinA/B.

Usage: pip install fonttools && python3 assets/fonts/make_fallback_font.py
Needs Debian 12's fonts-hanazono (20170904-2.1) and the committed NotoSansCJKsc-Regular.otf.
Takes every code point of the Han blocks (Ext A, URO, compatibility ideographs, Ext B-G and
the compatibility supplement) that HanaMinA or HanaMinB maps and Noto does not, subsets both
faces to them (HanaMinB first, HanaMinA for the rest), merges the two and renames the result:
under the OFL a modified font may not keep the Reserved Font Names. The inputs and the output
are checked against the SHA-256 sums recorded here and in README.md, so the committed file can
be re-made bit for bit (head dates are HanaMinB's).
"""

import hashlib
import pathlib
import sys
import tempfile

from fontTools import subset
from fontTools.merge import Merger
from fontTools.merge import Options as MergeOptions
from fontTools.ttLib import TTFont

HERE = pathlib.Path(__file__).parent
NOTO = HERE / "NotoSansCJKsc-Regular.otf"
OUT = HERE / "YichuangHanFallback-Regular.ttf"
HANA_A = "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"
HANA_B = "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"
SOURCES = {
    HANA_A:
        "7ca87559414474848fc513a8d8eb42d5b0f8194c30c2abdfbfedff5398ec88d7",
    HANA_B:
        "829543436cdf7b4c6730e2af5806fa406f8ddf0d4b656e0cd49c58d4db1c8d3c",
    str(NOTO): "fb3b8d574150df2fb21d13554d20aae3dc316062e24d34fe3d1ae136d7b4f71f",
}
SHA256 = "7d866e9e4af646412337defc348c1fc3af3e5f8f2bc7a093ceb14fa009c98b98"

# Han blocks only: the fallback is for names and addresses, not for other scripts.
HAN_BLOCKS = [
    (0x3400, 0x4DBF),    # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),    # CJK Unified Ideographs
    (0xF900, 0xFAFF),    # CJK Compatibility Ideographs
    (0x20000, 0x2EBEF),  # Extensions B, C, D, E, F (and I)
    (0x2F800, 0x2FA1F),  # CJK Compatibility Ideographs Supplement
    (0x30000, 0x323AF),  # Extensions G, H
]

FAMILY = "Yichuang Han Fallback"
PS_NAME = "YichuangHanFallback-Regular"


def sha256(path):
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def is_han(cp):
    return any(lo <= cp <= hi for lo, hi in HAN_BLOCKS)


def cmap(path):
    return set(TTFont(path, lazy=True).getBestCmap())


def subset_to(path, code_points, out):
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.drop_tables += ["vhea", "vmtx", "BASE", "FFTM", "prop", "GDEF", "GSUB", "gasp"]
    font = TTFont(path, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=code_points)
    subsetter.subset(font)
    font.save(out)


def rename(font):
    name = font["name"]
    copyright_notice = (
        "Copyright (c) 2011, GlyphWiki Project (kamichi@fonts.jp), with Reserved Font Name "
        "\"Hanazono Font\", \"HanaMinA\", \"HanaMinB\", \"花園フォント\", \"花園明朝A\", and "
        "\"花園明朝B\"."
    )
    version = name.getDebugName(5)
    records = {
        0: copyright_notice,
        1: FAMILY,
        2: "Regular",
        3: f"{PS_NAME};{version}",
        4: FAMILY,
        5: version,
        6: PS_NAME,
        10: "A subset of HanaMinA and HanaMinB (GlyphWiki Project) for 一窗受理台 slips: "
            "the Han characters Noto Sans CJK SC lacks, merged into one face and renamed as "
            "the SIL OFL 1.1 requires. Outlines are unchanged.",
        13: "This Font Software is licensed under the SIL Open Font License, Version 1.1.",
        14: "https://openfontlicense.org",
    }
    name.names = []
    for name_id, text in records.items():
        name.setName(text, name_id, 3, 1, 0x409)


def main():
    for path, digest in SOURCES.items():
        if sha256(path) != digest:
            sys.exit(f"{path} differs from the pinned SHA-256: another fonts-hanazono version?")
    noto = cmap(str(NOTO))
    from_b = sorted(cp for cp in cmap(HANA_B) - noto if is_han(cp))
    from_a = sorted(cp for cp in cmap(HANA_A) - noto - set(from_b) if is_han(cp))
    with tempfile.TemporaryDirectory() as tmp:
        part_b = f"{tmp}/b.ttf"
        part_a = f"{tmp}/a.ttf"
        subset_to(HANA_B, from_b, part_b)
        subset_to(HANA_A, from_a, part_a)
        # HanaMinB first: its head/hhea/OS/2 (the same metrics as HanaMinA's) lead the merge.
        merged = Merger(MergeOptions()).merge([part_b, part_a])
    # The merger stamps the current time into head: keep HanaMinB's dates instead.
    source_head = TTFont(HANA_B, lazy=True)["head"]
    merged["head"].created = source_head.created
    merged["head"].modified = source_head.modified
    rename(merged)
    merged.recalcTimestamp = False
    merged.save(OUT)
    digest = sha256(OUT)
    glyphs = merged["maxp"].numGlyphs
    print(f"{OUT}: {len(from_b)} + {len(from_a)} code points, {glyphs} glyphs, "
          f"{OUT.stat().st_size} bytes, sha256 {digest}")
    if digest != SHA256:
        sys.exit("sha256 differs from README.md: a different fonts-hanazono or fontTools version?")


if __name__ == "__main__":
    main()
