"""``python -m graders.cli`` is the ``geodl`` command."""
import sys

from graders.cli import main

if __name__ == "__main__":
    sys.exit(main())
