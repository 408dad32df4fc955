"""The pure domain: models, parsing, sentences, anchoring, queries. No Textual, no TinyDB."""
