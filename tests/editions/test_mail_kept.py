"""The mail as sent is rendered once per state of the edition and its templates: the board, its
preview, the preview's frame and the checks ask for it after each change."""

from __future__ import annotations

from digest import config
from digest.domain import Actor
from digest.editions import service
from tests.conftest import write_config
from tests.editions.test_service import newsroom  # noqa: F401 (a pytest fixture)

ANA = Actor.named("Ana")


def test_the_mail_is_kept_until_the_edition_or_a_template_changes(newsroom):  # noqa: F811
    settings, engine, instance = newsroom
    edition = service.build(engine, settings, "world", actor=ANA).edition
    first = service.mail(engine, settings, edition.id)
    assert service.mail(engine, settings, edition.id) is first  # nothing changed: not rendered again

    service.change(engine, settings, edition.id, ANA, "intro", text="A word from the desk.")
    changed = service.mail(engine, settings, edition.id)
    assert changed is not first and "A word from the desk." in changed.html

    settings = config.load(write_config(instance, templates=str(instance / "templates")))
    assert service.mail(engine, settings, edition.id).html == changed.html  # the same templates, copied
    footer = instance / "templates/partials/footer.mjml.j2"
    footer.write_text(footer.read_text() + "\n<mj-text>Printed on recycled electrons.</mj-text>")
    restyled = service.mail(engine, settings, edition.id)
    assert "Printed on recycled electrons." in restyled.html
