"""`python -m workbench`: the command line."""

import multiprocessing
import sys

from workbench.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a packaged build's certificate workers start through this file
    sys.exit(main())
