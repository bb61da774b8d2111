"""The one error tree (defined in subscribers.errors, which `subscribers` shares without importing
digest), with the branches only digest raises. The CLI maps it to exit codes in digest.cli, the web
app to statuses and pages in digest.web.errors.

    DigestError
    ├── NotFound
    ├── Conflict
    │   └── Busy           another process holds the lease (the scheduler's, or an edition's send)
    ├── Invalid
    │   └── ConfigError    config.yaml or the environment, named by key path
    └── Unavailable
        └── BackendError   the delivery backend cannot take mail until its setup is fixed
"""

from subscribers.errors import Conflict, DigestError, Invalid, NotFound, Unavailable

__all__ = [
    "BackendError",
    "Busy",
    "ConfigError",
    "Conflict",
    "DigestError",
    "Invalid",
    "NotFound",
    "Unavailable",
]


class Busy(Conflict):
    pass


class ConfigError(Invalid):
    """A configuration mistake, with the file and the key path that is wrong."""


class BackendError(Unavailable):
    """Nothing in the batch was handed over, and retrying will not help until the setup is fixed."""
