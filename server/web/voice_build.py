"""Build the board's voice clips offline with espeak-ng and sox, at install time.

The board announces a call by playing short clips back to back, first in Arabic, then in English:
chime, "ticket", the prefix letter, the number, "counter", the counter's number. Numbers are said as
words by composing a few clips (Arabic joins the parts with "wa": ألف ومئتان واثنان وأربعون), so
about 400 clips cover every ticket up to 9999 in both languages. No online speech service is used.

The clips are generated rather than committed (they are a few megabytes); ``scripts/bootstrap``
runs ``python -m server.web.voice_build``, a no-op when the clips already match this inventory.
Without them the board stays silent but works.

Run: ``python -m server.web.voice_build [--dest DIR] [--force]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nafitha.paths import SOUNDS

MANIFEST = "manifest.json"
FORMAT = "ogg"
RATE = 22050

# How an Arabic speaker in the region says the Latin letters printed on tickets.
ARABIC_LETTERS = {
    "A": "إيه", "B": "بي", "C": "سي", "D": "دي", "E": "إي", "F": "إف", "G": "جي", "H": "إتش",
    "I": "آي", "J": "جيه", "K": "كيه", "L": "إل", "M": "إم", "N": "إن", "O": "أو", "P": "پي",
    "Q": "كيو", "R": "آر", "S": "إس", "T": "تي", "U": "يو", "V": "في", "W": "دبليو", "X": "إكس",
    "Y": "واي", "Z": "زِد",
}  # fmt: skip

PHRASES = {
    "ar": {"ticket": "التذكرة رقم", "counter": "إلى الشباك رقم"},
    "en": {"ticket": "Ticket", "counter": "please go to counter"},
}

ENGLISH_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
ENGLISH_TENS = (
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
)  # fmt: skip


def english_words(n: int) -> str:
    """1..99 in English words (spelled here rather than left to espeak, so it is certain)."""
    if n < 20:
        return ENGLISH_UNITS[n]
    tens, units = divmod(n, 10)
    return ENGLISH_TENS[tens] + (f"-{ENGLISH_UNITS[units]}" if units else "")


def inventory() -> dict[str, tuple[str, str]]:
    """Every clip: name → (espeak voice, text); the board composes announcements from names."""
    clips: dict[str, tuple[str, str]] = {}
    for lang, phrases in PHRASES.items():
        for key, text in phrases.items():
            clips[f"{lang}/{key}"] = (lang, text)
    for letter, spoken in ARABIC_LETTERS.items():
        clips[f"ar/letter-{letter}"] = ("ar", spoken)
        clips[f"en/letter-{letter}"] = ("en", letter)
    for n in range(1, 100):
        # Arabic: espeak-ng's Arabic voice reads digits as Arabic number words.
        clips[f"ar/n{n}"] = ("ar", str(n))
        clips[f"ar/wa{n}"] = ("ar", f"و{n}")
        clips[f"en/n{n}"] = ("en", english_words(n))
    for h in range(1, 10):
        clips[f"ar/n{h * 100}"] = ("ar", str(h * 100))
        clips[f"ar/wa{h * 100}"] = ("ar", f"و{h * 100}")
        clips[f"en/n{h * 100}"] = ("en", f"{ENGLISH_UNITS[h]} hundred")
        clips[f"ar/n{h * 1000}"] = ("ar", str(h * 1000))
        clips[f"en/n{h * 1000}"] = ("en", f"{ENGLISH_UNITS[h]} thousand")
    return clips


def inventory_digest(clips: dict[str, tuple[str, str]]) -> str:
    """Changes when any clip's text changes, so a stale build is redone."""
    text = json.dumps(sorted(clips.items()), ensure_ascii=False) + f"{FORMAT}{RATE}v2"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _trim(src: Path, dest: Path) -> None:
    """Cut espeak's leading and trailing silence, keep a short natural gap, encode."""
    subprocess.run(
        ["sox", str(src), "-r", str(RATE), "-c", "1", str(dest),
         "silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01", "0.5%", "reverse",
         "pad", "0.02", "0.08"],
        check=True, capture_output=True,
    )  # fmt: skip


def _speak(voice: str, text: str, dest: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        speed = "140" if voice == "ar" else "150"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", speed, "-w", str(raw), text],
            check=True,
            capture_output=True,
        )
        _trim(raw, dest)


def make_chime(dest: Path) -> None:
    """A soft two-note bell (E5 then C5) with harmonics and a long decay, drawn by sox."""
    with tempfile.TemporaryDirectory() as tmp:
        notes = []
        for i, (freq, length) in enumerate(((659.25, 0.55), (523.25, 1.1))):
            note = Path(tmp) / f"note{i}.wav"
            subprocess.run(
                ["sox", "-n", "-r", str(RATE), "-c", "1", str(note),
                 "synth", str(length), "sine", str(freq), "sine", str(freq * 2), "sine",
                 str(freq * 3), "remix", "-",
                 "fade", "q", "0.004", str(length), str(length * 0.95), "gain", "-n", "-6"],
                check=True, capture_output=True,
            )  # fmt: skip
            notes.append(str(note))
        subprocess.run(
            ["sox", *notes, str(dest), "pad", "0", "0.15"], check=True, capture_output=True
        )


def missing_tools() -> list[str]:
    return [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]


def is_current(dest: Path) -> bool:
    try:
        manifest = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    clips = inventory()
    return manifest.get("digest") == inventory_digest(clips) and all(
        (dest / f"{name}.{FORMAT}").is_file() for name in manifest.get("clips", [])
    )


def build(dest: Path = SOUNDS, jobs: int = 2) -> dict[str, object]:
    """Generate every clip and the manifest the board reads; return the manifest."""
    clips = inventory()
    for lang in PHRASES:
        (dest / lang).mkdir(parents=True, exist_ok=True)
    make_chime(dest / f"chime.{FORMAT}")
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [
            pool.submit(_speak, voice, text, dest / f"{name}.{FORMAT}")
            for name, (voice, text) in clips.items()
        ]
        for future in futures:
            future.result()
    manifest: dict[str, object] = {
        "digest": inventory_digest(clips),
        "format": FORMAT,
        "chime": "chime",
        "clips": sorted(clips),
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=0), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the board's voice clips offline.")
    parser.add_argument("--dest", type=Path, default=SOUNDS, help="folder for the clips")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)
    if not args.force and is_current(args.dest):
        print(f"voice clips: up to date in {args.dest}")
        return 0
    if missing := missing_tools():
        print(f"voice clips: cannot build, install {' '.join(missing)}", file=sys.stderr)
        return 1
    manifest = build(args.dest)
    print(f"voice clips: {len(manifest['clips'])} clips written to {args.dest}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
