#!/usr/bin/env bash
# geodl's Gradescope autograder, install step. Gradescope runs this once, as root, in its Ubuntu
# image, from the folder the bundle was unzipped into (/autograder/source). It installs a Python
# 3.11 or 3.12, a virtual environment at $ROOT/geodl-venv holding the grader's packages (pinned:
# requirements.txt, constrained by constraints.txt), and bubblewrap where apt has it.
# Written by 'geodl gradescope'; run_autograder does the grading.
set -euo pipefail

ROOT="${GEODL_AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/geodl-venv"
TORCH_INDEX="${GEODL_TORCH_INDEX:-https://download.pytorch.org/whl/cpu}"
export DEBIAN_FRONTEND=noninteractive PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf 'geodl setup: %s\n' "$*"; }

apt_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    apt-get install -y -q --no-install-recommends "$@"
}

# A Python geodl supports (>=3.11, <3.13).
supported() {
    "$1" -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 13)))' >/dev/null 2>&1
}

find_python() {
    local candidate
    for candidate in python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && supported "$(command -v "$candidate")"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

make_venv() {
    rm -rf "$VENV"
    "$1" -m venv "$VENV"
}

if command -v apt-get >/dev/null 2>&1; then
    apt-get update -q || say "apt-get update failed; installing from the package lists at hand"
fi

# bubblewrap is the sandbox; where this container cannot run it, run_autograder falls back to
# the process backend (rlimits only) and records it in each results.json.
if ! command -v bwrap >/dev/null 2>&1; then
    apt_install bubblewrap || say "bubblewrap could not be installed: submissions will run in the process backend"
fi

PYTHON="$(find_python || true)"
if [ -z "$PYTHON" ]; then
    say "no Python 3.11 or 3.12 here; installing one with apt"
    apt_install python3.11 python3.11-venv || apt_install python3.12 python3.12-venv || true
    PYTHON="$(find_python || true)"
fi
if [ -z "$PYTHON" ]; then
    say "error: geodl needs Python 3.11 or 3.12; choose a Gradescope base image that has one (Ubuntu 24.04 ships 3.12)"
    exit 1
fi
say "using $PYTHON ($("$PYTHON" --version 2>&1))"
if ! make_venv "$PYTHON"; then
    # Debian and Ubuntu ship venv's pip apart, as pythonX.Y-venv
    apt_install "$(basename "$PYTHON")-venv" || apt_install python3-venv || true
    make_venv "$PYTHON"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
if grep -qi '^torch==' "$SOURCE/requirements.txt"; then
    # The CPU build (Gradescope has no GPU; the default wheel brings gigabytes of CUDA), alone:
    # the next install takes its requirements from PyPI (2.13.0+cpu satisfies torch==2.13.0).
    say "installing torch (CPU build) from $TORCH_INDEX"
    "$VENV/bin/python" -m pip install -q --no-deps --index-url "$TORCH_INDEX" \
        "$(grep -i '^torch==' "$SOURCE/requirements.txt")"
fi
"$VENV/bin/python" -m pip install -q -r "$SOURCE/requirements.txt" -c "$SOURCE/constraints.txt"

# Prove the install: the grader imports, the chapter loads, and say which sandbox works here.
PYTHONPATH="$SOURCE" "$VENV/bin/python" -P -s -m graders.cli.gradescope --self-test
say "done"
