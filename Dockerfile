# The geodl worker image: the worker (the graders/worker/ folder) and the only Python packages
# student code may import (requirements-worker.txt), each distribution in a folder of its own under
# /opt/geodl/dist/ so that the docker backend can put on sys.path only those a chapter allows and
# cover the others with an empty read-only tmpfs. No grader, no reference, no scikit-learn.
#
# Built offline by scripts/build-worker-image, which downloads the wheelhouse on the host
# (.cache/worker-wheels/<variant>/, pip's own wheel in .cache/worker-wheels/tools/) and picks the base:
#
#   scripts/build-worker-image                  # CPU: torch's +cpu wheel       -> geodl-worker:latest
#   scripts/build-worker-image --variant cuda   # GPU: torch's CUDA build with the nvidia-* and
#                                               # triton wheels it requires (CUDA's runtime libraries;
#                                               # the driver comes from the host: --gpus all)
#                                               #                            -> geodl-worker:cuda
#
# BASE must hold CPython 3.11 (the wheels are cp311): python:3.11-slim-bookworm where a registry is
# reachable, else a debootstrap bookworm minbase with python3 (scripts/build-worker-image makes it).
ARG BASE=python:3.11-slim-bookworm
FROM ${BASE}

ARG VARIANT=cpu
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

COPY .cache/worker-wheels/tools/ /tmp/tools/
COPY .cache/worker-wheels/${VARIANT}/ /tmp/wheels/
# One folder per distribution, named as pip normalizes it (typing-extensions, jinja2...); the CUDA
# build's own (nvidia-*, triton, cuda-*) go into torch's folder, where its RPATH looks for them.
# The byte code is compiled here, once: the container's root is read-only.
RUN set -eu; \
    python3 -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "BASE must hold Python 3.11, not " + sys.version)'; \
    torch_wheel="$(ls /tmp/wheels/torch-*.whl)"; \
    case "${VARIANT}:${torch_wheel}" in \
        cpu:*+cpu-*) ;; \
        cuda:*+cpu-*) echo "the cuda wheelhouse holds torch's CPU wheel" >&2; exit 1 ;; \
        cuda:*) ls /tmp/wheels/nvidia_*.whl >/dev/null || { echo "the cuda wheelhouse has no nvidia-* wheel" >&2; exit 1; } ;; \
        *) echo "VARIANT=${VARIANT} with ${torch_wheel}: cpu (torch +cpu) or cuda" >&2; exit 1 ;; \
    esac; \
    pip="$(ls /tmp/tools/pip-*.whl)/pip"; \
    install() { folder="$1"; shift; python3 "$pip" install -q --no-index --no-deps --target "/opt/geodl/dist/$folder" "$@"; }; \
    for wheel in /tmp/wheels/*.whl; do \
        name="$(basename "$wheel" | cut -d- -f1 | tr 'A-Z' 'a-z' | sed -E 's/[-_.]+/-/g')"; \
        case "$name" in torch|nvidia-*|triton|cuda-*) ;; *) install "$name" "$wheel" ;; esac; \
    done; \
    install torch /tmp/wheels/torch-*.whl $(ls /tmp/wheels/nvidia_*.whl /tmp/wheels/triton-*.whl \
                                               /tmp/wheels/cuda_*.whl 2>/dev/null || true); \
    rm -rf /tmp/tools /tmp/wheels; \
    chmod -R a+rX,go-w /opt/geodl

COPY graders/worker/ /geodl/worker/
RUN python3 -m compileall -q /geodl/worker && chmod -R a+rX,go-w /geodl

USER 65534:65534
WORKDIR /tmp
ENV HOME=/tmp OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
# The docker backend (graders/sandbox/docker.py) supplies the command and the limits:
#   python3 -P -s -S /geodl/worker/warden.py --connect /geodl-control/control.sock --pidns \
#       --site /opt/geodl/dist/numpy ... --scratch /tmp --preload ...
CMD ["python3", "-P", "-s", "-S", "/geodl/worker/warden.py", "--help"]
