"""config.yaml mistakes are named by their key path; secrets never come from the file."""

from __future__ import annotations

import pytest

from digest import config
from digest.errors import ConfigError

VALID = """
public_url: https://digest.example.org
sources:
  - {name: desk, kind: folder, path: articles}
lists:
  - id: daily
    name: Daily
    from_address: news@example.org
    from_name: News
"""


def write(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def test_valid_file_gives_typed_settings_with_defaults(tmp_path):
    settings = config.load(write(tmp_path, VALID))
    assert settings.db_url == f"sqlite:///{tmp_path / 'var' / 'digest.db'}"  # beside the config
    assert settings.get_list("daily").lede_words == 60
    assert settings.delivery.backend == "file"
    assert settings.path(settings.sources[0].path) == tmp_path / "articles"


def test_every_mistake_is_named_by_its_key_path(tmp_path):
    text = VALID + """  - id: weekly
    name: Weekly
    from_address: not-an-address
    from_name: W
    schedule: "61 * * * *"
    timezone: Mars/Olympus
    max_items: 0
"""
    with pytest.raises(ConfigError) as err:
        config.load(write(tmp_path, text))
    message = str(err.value)
    assert str(tmp_path / "config.yaml") in message
    assert "lists[1].schedule: not a cron expression" in message
    assert "lists[1].from_address:" in message
    assert "lists[1].timezone: unknown time zone 'Mars/Olympus'" in message
    assert "lists[1].max_items:" in message


def test_unknown_keys_and_dangling_source_names_are_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"delivery\.bakend: Extra inputs"):
        config.load(write(tmp_path, VALID + "delivery:\n  bakend: smtp\n"))
    with pytest.raises(ConfigError, match="no source named 'nowhere'"):
        config.load(write(tmp_path, VALID + "    sources: [nowhere]\n"))


def test_yaml_syntax_errors_give_the_line(tmp_path):
    with pytest.raises(ConfigError, match=r"line 3, column \d+"):
        config.load(write(tmp_path, "public_url: https://x.org\nlists: []\nsources: a: b\n"))


def test_links_must_be_https(tmp_path):
    with pytest.raises(ConfigError, match="public_url: must be an https URL"):
        config.load(write(tmp_path, VALID.replace("https://digest", "http://digest")))


def test_digest_config_variable_selects_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGEST_CONFIG", str(write(tmp_path, VALID)))
    assert config.load().get_list("daily").name == "Daily"


def test_secrets_are_read_from_the_environment_only(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="secret_key: Extra inputs"):
        config.load(write(tmp_path, VALID + "secret_key: hunter2\n"))
    monkeypatch.setenv(config.SECRET_KEY_ENV, "  from-env  ")
    assert config.secret(config.SECRET_KEY_ENV) == "from-env"
    monkeypatch.setenv(config.SECRET_KEY_ENV, "")
    assert config.secret(config.SECRET_KEY_ENV) is None


def test_a_database_url_is_checked_and_its_password_never_shown(tmp_path):
    with pytest.raises(ConfigError, match=r"database_url: not a database URL.*\(got 'notaurl'\)"):
        config.load(write(tmp_path, VALID + "database_url: notaurl\n"))
    with pytest.raises(ConfigError) as err:
        config.load(write(tmp_path, VALID + "database_url: 'postgresql://ann:hunter2@db:port/x'\n"))
    assert "postgresql://ann:***@db:port/x" in str(err.value) and "hunter2" not in str(err.value)
    with pytest.raises(ConfigError, match="database_url: mysql is not supported"):
        config.load(write(tmp_path, VALID + "database_url: mysql://db/x\n"))


def test_repeated_names_say_which_and_where(tmp_path):
    text = VALID.replace("sources:\n", "sources:\n  - {name: desk, kind: folder, path: other}\n")
    with pytest.raises(ConfigError, match=r"sources\[1\]\.name: 'desk' is already the name of sources\[0\]"):
        config.load(write(tmp_path, text))
