"""``python -m reader.cli``: the ``reader`` command."""

from reader.cli.main import main

raise SystemExit(main())
