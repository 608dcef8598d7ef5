# syntax=docker/dockerfile:1
#
# One image for every service of the platform. The command picks what runs:
#   API:    python -m gunicorn --config python:services.gunicorn_conf \
#             --bind 0.0.0.0:8081 'proposals.app:create_app()'
#   worker: civic worker proposals
#   seed:   civic seed
# With no command it prints the CLI help. See docker-compose.yml and deploy/k8s/.

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: install the project and its dependencies into a virtualenv -------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# The whole context is copied so pyproject.toml can refer to any file it needs
# (readme, license, package data); only the installed venv reaches the final
# image. A .dockerignore excluding .venv/, var/ and .git/ keeps the context small.
COPY . .
RUN pip install . \
 # Compile the translation catalogues now: the runtime filesystem may be read-only.
 && python -c "from services.i18n import compile_catalogues; compile_catalogues()"

# --- runtime ------------------------------------------------------------------
FROM ${PYTHON_IMAGE}
# HOME=/tmp: the one writable place when Kubernetes mounts the root filesystem
# read-only (/tmp is an emptyDir there); gunicorn puts its control socket
# (gunicornc) under $HOME/.gunicorn.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/tmp

# Fixed numeric ids so Kubernetes' runAsNonRoot can verify the user.
RUN groupadd --system --gid 10001 civic \
    && useradd --system --uid 10001 --gid civic --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin civic

COPY --from=build /opt/venv /opt/venv

# gunicorn's processes share Prometheus metrics through files in
# PROMETHEUS_MULTIPROC_DIR: the directory must exist, be writable and start
# empty (files left by a previous run would be summed in, under pids that may be
# reused). Worker containers leave the variable unset and skip this.
COPY --chmod=0755 <<'EOF' /usr/local/bin/civic-entrypoint
#!/bin/sh
set -e
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
    mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    find "$PROMETHEUS_MULTIPROC_DIR" -mindepth 1 -delete
fi
exec "$@"
EOF

# forwarding's private dossier-signing keys (CIVIC_SIGNING_KEY_DIR): a volume mounted here
# starts owned by the image's user, readable by nobody else.
RUN mkdir -p /var/lib/civic/signing-keys && chown 10001:10001 /var/lib/civic/signing-keys \
    && chmod 0700 /var/lib/civic/signing-keys

WORKDIR /app
USER 10001:10001
# Documentation only: gateway (public), proposals, voting, forwarding, notifications.
EXPOSE 8080 8081 8082 8083 8084
ENTRYPOINT ["civic-entrypoint"]
CMD ["civic", "--help"]
