"""``recert import``: reading, validating and storing record files (YAML or JSON).

- ``reader``: text to plain data, exactly (dates and decimals kept as written).
- ``schema``: the import format as pydantic models; every field checked.
- ``validate``: schema + cross-record checks; problems named ``trainers[2] (T-1003).field``.
- ``service``: the use case ``import_records(doc, uow)``: store checks, upserts, one commit.
"""
