"""``python -m fdipsec_pulumi.importer``: the same as the ``fdipsec-import`` console script."""

from fdipsec_pulumi.importer.cli import main

raise SystemExit(main())
