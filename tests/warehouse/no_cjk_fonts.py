"""An environment whose system fonts have no CJK: fontconfig sees only DejaVu and matplotlib starts with an
empty font cache, so a Chinese glyph can come only from the font file the project ships."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def run_without_cjk_fonts(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run `script` in a fresh interpreter under fontconfig and matplotlib settings that hide system CJK."""
    if not DEJAVU.is_dir():
        reason = f"{DEJAVU} missing: no Latin-only font folder to stand in for a fresh machine"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI must run this test, as every other skip of the project
        pytest.skip(reason)
    (tmp_path / "mpl").mkdir(exist_ok=True)
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{DEJAVU}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "MPLCONFIGDIR": str(tmp_path / "mpl")}
    probe = subprocess.run(["fc-list", ":lang=zh"], env=env, capture_output=True, text=True, check=False)
    assert probe.stdout.strip() == "", "the restricted fontconfig still sees a CJK font"
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True, timeout=300, check=False
    )
