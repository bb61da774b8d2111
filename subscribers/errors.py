"""The error tree digest and subscribers share. It is rooted here because `subscribers` never
imports `digest`; digest.errors extends it. Each edge maps it once: the CLI to an exit code and a
line on stderr, the web app to a status and a page.

    DigestError        a mistake a user can fix, or a state they must know of: told without a traceback
    ├── NotFound       what was named does not exist (an edition, a list, an article, a subscriber)
    ├── Conflict       it exists, but its state forbids this now (a lifecycle step, a lease, a duplicate)
    ├── Invalid        the input is wrong (an argument, an address, a file, a template, config.yaml)
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


class Unavailable(DigestError):
    pass
