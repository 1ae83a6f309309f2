# The geodl grading image: the worker (the graders/worker/ folder) and the only Python
# packages student code may import (requirements-worker.txt) — no grader, no reference, no
# scikit-learn. The docker sandbox backend runs it with --network none, --read-only, memory/pids/
# CPU limits, --cap-drop ALL, no-new-privileges and a non-root user.
#
#   CPU:  docker build -t geodl-worker .
#   GPU:  docker build -t geodl-worker:cuda --build-arg BASE=nvidia/cuda:12.6.3-runtime-ubuntu24.04 \
#             --build-arg TORCH_INDEX=https://download.pytorch.org/whl/cu126 .
#         (run with the docker backend and SandboxLimits(gpu=True): it adds --gpus all)
ARG BASE=python:3.11-slim-bookworm
FROM ${BASE}

ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu
ENV DEBIAN_FRONTEND=noninteractive PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
# CUDA bases ship without Python: install one; python images already have it.
RUN if ! command -v python >/dev/null 2>&1; then \
        apt-get update && apt-get install -y --no-install-recommends python3 python3-pip python-is-python3 \
        && rm -rf /var/lib/apt/lists/*; \
    fi

COPY requirements-worker.txt /tmp/requirements-worker.txt
RUN python -m pip install --break-system-packages --target /opt/geodl/site \
        --extra-index-url "${TORCH_INDEX}" -r /tmp/requirements-worker.txt \
    && rm /tmp/requirements-worker.txt

COPY graders/worker/ /geodl/worker/
RUN chmod -R a+rX /geodl /opt/geodl

USER 65534:65534
WORKDIR /tmp
ENV OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
# The sandbox backend supplies the command: python -P -s -S /geodl/worker/warden.py --connect ... --site /opt/geodl/site
CMD ["python", "-P", "-s", "-S", "/geodl/worker/warden.py", "--help"]
