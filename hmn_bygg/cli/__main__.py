"""``python -m hmn_bygg.cli``: the same as the ``hmn-bygg`` command."""

from hmn_bygg.cli import main

main()
