"""The library service: what the UI and the CLI call (opening a library, importing
documents, every change to a highlight with its undo, filters, exports). It holds no
Textual; it reaches TinyDB only through :mod:`reader.store`."""
