"""Print each message's envelope and text part; for trying a configuration out."""

from digest.deliver.backends import Result
from digest.deliver.message import Outgoing


class ConsoleBackend:
    name = "console"

    def send(self, batch: list[Outgoing]) -> list[Result]:
        results = []
        for message in batch:
            try:  # a terminal that cannot show a character fails that message, not the batch
                print(f"To: {message.to_email}\nSubject: {message.subject}\n\n{message.text}\n{'=' * 72}")
            except ValueError as exc:
                results.append(Result(message.key, "failed", f"console: {exc}"))
                continue
            results.append(Result(message.key, "accepted"))
        return results
