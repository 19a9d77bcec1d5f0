"""The knowledge base as data (YAML). This package holds no code; it only marks where the files live."""
