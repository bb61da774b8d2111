"""The message as SMTP and the outbox send it: parses back to exactly what was rendered."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from digest.deliver.message import Outgoing, substitution_keys, substitutions
from digest.render import MessageTemplate

MARKERS = {"name": "@@n0nce.name@@", "unsubscribe_url": "@@n0nce.unsubscribe_url@@"}
CONTENT = MessageTemplate(
    subject="Rivers · rockets",
    html="<p>" + "x" * 5000 + "</p><p>Hello @@n0nce.name@@ <a href=\"@@n0nce.unsubscribe_url@@\">unsubscribe</a></p>",
    text="Hello @@n0nce.name@@\nUnsubscribe: @@n0nce.unsubscribe_url@@\n",
    markers=MARKERS,
)


def outgoing(name: str | None) -> Outgoing:
    url = "https://digest.example.org/u/tok.en"
    return Outgoing(7, 3, "reader@example.net", name, "digest@example.org", "Digest", None, CONTENT,
                    {"name": name or "reader", "unsubscribe_url": url}, url, "world", "<digest.3.7@example.org>")


@pytest.mark.parametrize("name", ["Ann", "Zoë <O'Brien> & co", 'Smith, "J"', None, "Eve\r\nBcc: victim@example.org"])
def test_bytes_parse_back_to_the_rendered_parts_and_headers(name):
    message = outgoing(name)
    parsed = message_from_bytes(message.to_bytes(), policy=policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    # line ends may come back as CRLF, as they are on the wire
    assert parsed.get_body(("plain",)).get_content().splitlines() == message.text.splitlines()
    assert parsed.get_body(("html",)).get_content().splitlines() == message.html.splitlines()
    assert parsed["To"].addresses[0].addr_spec == "reader@example.net"
    assert parsed["Bcc"] is None  # a CR/LF in a name never makes a header
    assert parsed["Subject"] == "Rivers · rockets"
    assert parsed["List-Unsubscribe"] == "<https://digest.example.org/u/tok.en>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["Message-ID"] == "<digest.3.7@example.org>"
    assert "Zoë &lt;O&#x27;Brien&gt; &amp; co" in message.html if name and name.startswith("Zoë") else True


def test_substitutions_give_html_escaped_and_text_raw_values():
    html, text, keys = substitution_keys(CONTENT)
    values = substitutions(outgoing("A & B"), keys)
    for key, value in values.items():
        html, text = html.replace(key, value), text.replace(key, value)
    assert "Hello A &amp; B" in html and text.startswith("Hello A & B\n")
    assert html == outgoing("A & B").html and text == outgoing("A & B").text
