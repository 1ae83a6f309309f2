"""``python -m graders.cli`` is the ``geodl`` command."""
from graders.cli import entry

if __name__ == "__main__":
    entry()
