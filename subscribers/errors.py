"""The error tree digest and subscribers share. It is rooted here because `subscribers` never
imports `digest`; digest.errors extends it. Each edge maps it once: the CLI to an exit code and a
line on stderr, the web app to a status and a page.

    DigestError        a mistake a user can fix, or a state they must know of: told without a traceback
    ├── NotFound       what was named does not exist (an edition, a list, an article, a subscriber)
    ├── Conflict       it exists, but its state forbids this now (a lifecycle step, a lease, a duplicate)
    ├── Invalid        the input is wrong (an argument, an address, a file, a template, config.yaml)
    │   └── InvalidValue   one named value is wrong (a name, a language, a time zone...)
    └── Unavailable    something outside is down or refuses (the database, the relay, the provider)
"""


class DigestError(Exception):
    pass


class NotFound(DigestError):
    pass


class Conflict(DigestError):
    pass


class Invalid(DigestError):
    pass


class InvalidValue(Invalid):
    """One value is wrong. `field` names it as the domain does (name, language, timezone, consent...),
    `value` is what was given ("" for a value missing) and `reason` says what is wrong with it ("is
    not one of en, fr, ...").
    Each edge names the field its own way: the CLI as its option, an import's report by its column, a
    page in its own words."""

    def __init__(self, field: str, value: str, reason: str):
        super().__init__(f"{field}{shown(value)}: {reason}")
        self.field, self.value, self.reason = field, value, reason


def shown(value: str) -> str:
    """A value as a message quotes it after its field's name: ` 'value'`, cut when long, or nothing."""
    if not value:
        return ""
    return " " + repr(value if len(value) <= 60 else value[:57] + "...")


class Unavailable(DigestError):
    pass
