"""Print each message's envelope and text part; for trying a configuration out."""

from digest.deliver.message import Outgoing

from . import Result


class ConsoleBackend:
    name = "console"

    def send(self, batch: list[Outgoing]) -> list[Result]:
        for message in batch:
            print(f"To: {message.to_email}\nSubject: {message.subject}\n\n{message.text}\n{'=' * 72}")
        return [Result(m.delivery_id, "accepted") for m in batch]
