"""An integration's token, as the README makes it: `digest tokens create` prints it once, it then
works against `digest serve` within its scopes, `digest tokens list` never shows it, and once
`digest tokens revoke` has run it is refused."""

from __future__ import annotations

import re

import httpx


def test_a_token_made_on_the_command_line_works_against_the_server_until_revoked(program):
    program.add_members(["ann@example.org"])
    made = program.run("tokens", "create", "crm sync", "--scope", "subscribers:read", "--scope", "lists:read")
    secret = re.search(r"^(dgt_\S+)$", made.stdout, re.M)
    assert secret, made.stdout
    token_id = re.search(r"API token #(\d+)", made.stdout).group(1)  # type: ignore[union-attr]
    listed = program.run("tokens", "list").stdout
    assert "crm sync" in listed and "subscribers:read lists:read" in listed and secret.group(1) not in listed
    wrong = program.run("tokens", "create", "x", "--scope", "everything", check=False)
    assert wrong.returncode == 1 and "unknown scope 'everything'" in wrong.stderr and "Traceback" not in wrong.stderr
    bearer = {"Authorization": f"Bearer {secret.group(1)}"}
    with program.serve() as served:
        found = httpx.get(f"{served.url}/api/v1/subscribers", headers=bearer, params={"list_id": "world"}, timeout=10)
        assert found.status_code == 200 and [s["email"] for s in found.json()["data"]] == ["ann@example.org"], found.text
        assert httpx.get(f"{served.url}/api/v1/editions", headers=bearer, timeout=10).status_code == 403
        program.run("tokens", "revoke", token_id)
        refused = httpx.get(f"{served.url}/api/v1/lists", headers=bearer, timeout=10)
        assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"
    assert "revoked" in program.run("tokens", "list").stdout
