"""The newsroom's words go through a Babel catalogue, and the committed one is current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from tests import ROOT

CATALOGUE = ROOT / "digest/web/locale/newsroom.pot"


def _ids(path: Path) -> set[str]:
    with path.open("rb") as fh:
        return {str(m.id) for m in read_po(fh) if m.id}


def test_the_catalogue_holds_every_word_of_the_newsroom(tmp_path):
    fresh = tmp_path / "newsroom.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "extract", "-F", "digest/web/locale/babel.cfg", "--no-location", "--omit-header",
         "-o", str(fresh), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    assert _ids(fresh) == _ids(CATALOGUE), "run `make messages` and commit digest/web/locale/newsroom.pot"
    assert "Sign in to the newsroom" in _ids(CATALOGUE)
