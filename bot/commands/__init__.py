"""Command groups of ``recert``; each module exposes ``register(subparsers)``."""
