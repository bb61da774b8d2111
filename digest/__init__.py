"""digest: a self-hosted newsletter digest service."""

__version__ = "0.1.0"
