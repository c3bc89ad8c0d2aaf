"""A pull-request report of ``pulumi preview --json`` that says what an IPsec change means.

Reviewers see a preview through a bot comment; the engine's JSON says which properties change but not
that replacing a tunnel gives it a new endpoint and pre-shared key, so the remote site's device must be
reconfigured and every share on it stops meanwhile. The package reads the JSON (``preview``), sorts the
steps into what is dangerous and what is routine (``classify``), says what a refresh found (``drift``)
and what ``--fail-on`` refuses (``gate``), and renders Markdown for a comment or text for a terminal
(``markdown``, ``text``, with the sentences in ``wording``); ``cli`` is ``fdipsec-review``.
"""
