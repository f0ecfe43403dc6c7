"""`python -m filterkit`: the same command line as `filterkit`."""
import sys

from .cli import main

sys.exit(main())
