"""Exports of highlights, free of any UI code.

- :mod:`reader.export.jsonfmt`: lossless JSON export and a forgiving importer (our own
  JSON, minimal records, W3C annotations).
- :mod:`reader.export.w3c`: W3C Web Annotation Data Model (JSON-LD) collections.
- :mod:`reader.export.markdown`: Markdown files whose re-export keeps the user's edits.
"""
