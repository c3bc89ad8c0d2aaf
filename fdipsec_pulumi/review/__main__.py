"""``python -m fdipsec_pulumi.review``: the same as the ``fdipsec-review`` console script."""

from fdipsec_pulumi.review.cli import main

raise SystemExit(main())
