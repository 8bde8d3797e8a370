"""The local stack: model training, runtime config and the supervised processes behind ``recert up``."""
