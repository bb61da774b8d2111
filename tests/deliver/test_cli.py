"""The delivery commands wired end to end: send, editions resume, show, cancel."""

from __future__ import annotations

import yaml
from typer.testing import CliRunner

from digest.cli import app
from digest.deliver.backends.sendgrid import SendGridBackend
from digest.deliver.send import send_edition
from digest.domain import Actor
from digest.editions import service
from digest.store.db import open_store
from tests.servers.sendgrid import Server, StandIn
from tests.servers.support import ROOT, add_edition, add_subscribers, make_links, make_settings


def test_paused_send_is_resumed_and_shown_from_the_command_line(tmp_path, monkeypatch):
    with Server(StandIn("SG.cli")) as server:
        config = {
            "public_url": "https://digest.example.org",
            "database_url": f"sqlite:///{tmp_path / 'digest.db'}",
            "templates": str(ROOT / "templates"),
            "lists": [make_settings().lists[0].model_dump(mode="json")],
            "delivery": {"backend": "sendgrid", "batch_size": 100, "sendgrid": {"api_host": server.url}},
        }
        (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
        monkeypatch.setenv("DIGEST_CONFIG", str(tmp_path / "config.yaml"))
        monkeypatch.setenv("SENDGRID_API_KEY", "SG.cli")
        monkeypatch.setenv("DIGEST_SECRET_KEY", "cli-signing-key")
        engine = open_store(config["database_url"])
        add_subscribers(engine, 250)
        edition_id = add_edition(engine, make_settings())
        send_edition(engine, make_settings(batch_size=100), edition_id, SendGridBackend("SG.cli", server.url),
                     make_links(), lambda state: service.pause(engine, edition_id, Actor.named("test")))
        runner = CliRunner()
        refused = runner.invoke(app, ["send", str(edition_id)])
        assert refused.exit_code == 1 and "paused" in refused.output  # told, not raised
        resumed = runner.invoke(app, ["editions", "resume", str(edition_id)])
        assert resumed.exit_code == 0, resumed.output
        assert f"edition #{edition_id}: sent (done); sent now 150" in resumed.output
        shown = runner.invoke(app, ["editions", "show", str(edition_id)])
        assert "[" + "#" * 30 + "] 100%  sent 250 · failed 0 · deferred 0 · remaining 0" in shown.output
        canceled = runner.invoke(app, ["editions", "cancel", str(edition_id)])
        assert canceled.exit_code == 1 and "it is final, not canceled" in canceled.output
        assert server.stand_in.stats()["unique"] == 250 and server.stand_in.stats()["duplicates"] == 0
