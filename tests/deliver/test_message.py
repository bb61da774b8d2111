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
    return Outgoing("00000007", "reader@example.net", name, "digest@example.org", "Digest", None, CONTENT,
                    {"name": name or "reader", "unsubscribe_url": url}, "world", "<digest.3.7@example.org>", url,
                    delivery_id=7, edition_id=3)


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


def test_idn_domains_are_idna_encoded_and_a_utf8_local_part_needs_utf8():
    from dataclasses import replace

    from digest.deliver.message import Unbuildable, message_id

    idn = replace(outgoing("Zoë"), to_email="user@exämple.com", from_email="digest@bücher.de",
                  message_id=message_id(3, 7, "digest@bücher.de"))
    raw = idn.to_bytes()
    assert raw.isascii()  # nothing here needs more than RFC 2047 and IDNA
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["To"].addresses[0].addr_spec == "user@xn--exmple-cua.com"
    assert parsed["To"].addresses[0].display_name == "Zoë"
    assert parsed["From"].addresses[0].addr_spec == "digest@xn--bcher-kva.de"
    assert parsed["List-Id"] == "<world.xn--bcher-kva.de>" and parsed["Message-ID"] == "<digest.3.7@xn--bcher-kva.de>"
    utf8 = replace(idn, to_email="ünï@exämple.com")
    with pytest.raises(Unbuildable, match="needs SMTPUTF8"):
        utf8.to_bytes()
    head = utf8.to_bytes(utf8=True).split(b"\n\n", 1)[0].decode("utf-8")
    assert "\nTo: =?utf-8?q?Zo=C3=AB?= <ünï@xn--exmple-cua.com>\n" in head  # RFC 6532 address, RFC 2047 name
    assert "\nSubject: Rivers =?utf-8?q?=C2=B7?= rockets\n" in head  # encoded words, as before
