"""``python -m archer_trl.inspect``: the same as the ``archer-inspect`` console script (:mod:`archer_trl.cli.inspect`)."""

import sys

from ..cli.inspect import main

if __name__ == "__main__":
    sys.exit(main())
