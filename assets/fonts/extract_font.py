#!/usr/bin/env python3
"""Extracts Noto Sans CJK SC Regular as a single static OpenType face from Debian's collection.

Usage: pip install fonttools && python3 assets/fonts/extract_font.py
Needs Debian 12's fonts-noto-cjk (1:20220127+repack1-1). The output is byte-for-byte
reproducible (timestamps and bounding boxes are kept as in the source face); the script
checks it against the SHA-256 recorded in README.md.
"""

import hashlib
import pathlib
import sys

from fontTools.ttLib import TTFont

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FACE = 2  # 0 JP, 1 KR, 2 SC, 3 TC, 4 HK, 5-9 the Mono faces
OUT = pathlib.Path(__file__).with_name("NotoSansCJKsc-Regular.otf")
SHA256 = "fb3b8d574150df2fb21d13554d20aae3dc316062e24d34fe3d1ae136d7b4f71f"

font = TTFont(SOURCE, fontNumber=FACE, recalcTimestamp=False, recalcBBoxes=False)
name = font["name"].getDebugName(4)
if name != "Noto Sans CJK SC":
    sys.exit(f"face {FACE} of {SOURCE} is {name!r}, not Noto Sans CJK SC")
font.save(OUT)
digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
print(f"{OUT}: {OUT.stat().st_size} bytes, sha256 {digest}")
if digest != SHA256:
    sys.exit("sha256 differs from README.md: a different fonts-noto-cjk or fontTools version?")
