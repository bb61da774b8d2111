"""The one base class for mistakes a user can fix: the CLI prints them without a traceback."""


class DigestError(Exception):
    pass
