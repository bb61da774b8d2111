"""Template folders: a list's own folder overrides a partial; mistakes name the template and line;
files outside the folders cannot be read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from digest.config import BUILTIN_TEMPLATES, Settings, load
from digest.errors import ConfigError
from digest.render import RenderError, personalize, render_edition
from digest.render.specimen import specimen_edition
from tests import ROOT
from tests.render.test_message import VALUES, a_list

TEMPLATES = ROOT / "templates"


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """A list's own template folder, empty at first."""
    folder = tmp_path / "own"
    (folder / "partials").mkdir(parents=True)
    return folder


def render(folders):
    return render_edition(specimen_edition(2), a_list(), folders)


def test_a_lists_own_folder_overrides_one_partial_and_keeps_the_rest(own: Path):
    footer = (TEMPLATES / "partials" / "footer.mjml.j2").read_text()
    (own / "partials" / "footer.mjml.j2").write_text(footer.replace('css-class="dm-muted"', 'css-class="custom-foot"'))
    html, _ = personalize(render([own, TEMPLATES]), VALUES)
    assert 'class="custom-foot"' in html and "Story 1:" in html


def test_settings_put_the_lists_own_folder_first(tmp_path: Path):
    settings = Settings(public_url="https://digest.example.org", base_dir=tmp_path, lists=[a_list(templates="brand")])
    assert settings.template_folders(settings.lists[0]) == [tmp_path / "brand", BUILTIN_TEMPLATES]
    plain = Settings(public_url="https://digest.example.org", base_dir=tmp_path, lists=[a_list()])
    assert plain.template_folders(plain.lists[0]) == [BUILTIN_TEMPLATES]
    own = Settings(public_url="https://digest.example.org", base_dir=tmp_path, templates="house", lists=[a_list()])
    assert own.template_folders(own.lists[0]) == [tmp_path / "house"]
    assert (BUILTIN_TEMPLATES / "digest.mjml.j2").is_file()


def test_a_syntax_error_names_the_template_and_line(own: Path):
    (own / "partials" / "intro.mjml.j2").write_text("<mj-section>\n  <mj-column>\n    {% if intro %}\n")
    with pytest.raises(RenderError, match=r"partials/intro\.mjml\.j2, line [34]"):
        render([own, TEMPLATES])


def test_an_undefined_name_names_the_partial_and_line(own: Path):
    (own / "partials" / "intro.mjml.j2").write_text(
        "<mj-section>\n<mj-column>\n<mj-text>{{ no_such_thing.here }}</mj-text>\n</mj-column>\n</mj-section>\n"
    )
    with pytest.raises(RenderError, match=r"partials/intro\.mjml\.j2, line 3: 'no_such_thing' is undefined"):
        render([own, TEMPLATES])


def test_an_mjml_error_names_the_template_and_the_line(own: Path):
    (own / "partials" / "intro.mjml.j2").write_text("<mj-section><mj-column></mj-column></mj-section></mj-section>\n")
    with pytest.raises(RenderError, match=r"digest\.mjml\.j2: MJML error at line \d+ of the rendered MJML \('<mj-section"):
        render([own, TEMPLATES])


def test_mj_include_reads_from_the_template_folders(own: Path):
    (own / "partials" / "note.mjml").write_text(
        "<mj-section><mj-column><mj-text>Included note</mj-text></mj-column></mj-section>"
    )
    (own / "partials" / "intro.mjml.j2").write_text('<mj-include path="partials/note.mjml" />\n')
    html, _ = personalize(render([own, TEMPLATES]), VALUES)
    assert "Included note" in html


@pytest.mark.parametrize(
    "include",
    ['<mj-include path="../secret.mjml" />', '<mj-include path="/etc/hostname" />', '{% include "../secret.mjml" %}'],
)
def test_nothing_outside_the_template_folders_can_be_read(own: Path, include: str):
    (own.parent / "secret.mjml").write_text("<mj-section><mj-column><mj-text>SECRET</mj-text></mj-column></mj-section>")
    (own / "partials" / "intro.mjml.j2").write_text(include + "\n")
    with pytest.raises(RenderError):
        render([own, TEMPLATES])


def test_a_missing_template_is_named(tmp_path: Path):
    shutil.copytree(TEMPLATES, tmp_path / "t")
    (tmp_path / "t" / "digest.txt.j2").unlink()
    with pytest.raises(RenderError, match=r"digest\.txt\.j2"):
        render(tmp_path / "t")


def test_a_theme_in_config_yaml_is_checked_by_key(tmp_path: Path):
    lst = a_list().model_dump(exclude={"theme"}) | {"templates": "brand"}
    lst["theme"] = {"brand_color": "#123456", "logo_url": "http://digest.example.org/logo.png"}
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({"public_url": "https://digest.example.org", "lists": [lst]}))
    with pytest.raises(ConfigError, match=r"lists\[0\]\.theme\.logo_url: must be an absolute https URL"):
        load(path)
    lst["theme"]["logo_url"] = "https://digest.example.org/logo.png"
    path.write_text(yaml.safe_dump({"public_url": "https://digest.example.org", "lists": [lst]}))
    settings = load(path)
    assert settings.lists[0].theme.brand_color == "#123456"
    assert settings.template_folders(settings.lists[0])[0] == tmp_path / "brand"
