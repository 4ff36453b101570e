"""`python -m kg` runs the command line, as `kg` does."""

import sys

from kg.cli import main

sys.exit(main())
