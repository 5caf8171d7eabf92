# Clerk - Slack app.
# Build:  docker build -t clerk .          (podman: podman build --format docker -t clerk .  -- the docker
#                                           format keeps the HEALTHCHECK, which OCI images drop)
# Run:    docker run -d --name clerk --env-file .env -p 3000:3000 -v clerk-data:/data clerk
# Check:  python3 tasks.py container        (builds it, runs it on SQLite and PostgreSQL, stops it)
#
# The base is pinned to a Debian release (12, bookworm), so a rebuild never moves to the next one
# by surprise. To move on: set DEBIAN_RELEASE to the next release's codename (trixie), build, run
# `python3 tasks.py container`, and commit; PYTHON_VERSION likewise (3.11 is what CI tests).
ARG PYTHON_VERSION=3.11
ARG DEBIAN_RELEASE=bookworm

# ---- build: resolve and install the pinned requirements into /opt/venv ----
FROM python:${PYTHON_VERSION}-slim-${DEBIAN_RELEASE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY requirements.txt .
# PIP_CERT: a CA bundle mounted read-only into the build where a proxy re-signs TLS (empty: the image's own).
ARG PIP_CERT=
RUN if [ -z "$PIP_CERT" ]; then unset PIP_CERT; fi \
 && pip install --no-cache-dir -r requirements.txt

# ---- runtime ----
FROM python:${PYTHON_VERSION}-slim-${DEBIAN_RELEASE} AS runtime
# uid/gid 10001: an ordinary (not --system) account, so useradd has nothing to warn about
RUN groupadd --gid 10001 clerk \
 && useradd --uid 10001 --gid clerk --home-dir /app --no-create-home --no-log-init --shell /usr/sbin/nologin clerk \
 && mkdir -p /data \
 && chown clerk:clerk /data
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    VIRTUAL_ENV=/opt/venv \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=3000 \
    DATABASE_URL=sqlite:////data/clerk.db
WORKDIR /app
# The code stays root-owned (read-only for clerk); only /data is writable: exports go there
# (python bot.py export backup --output /data/clerk-backup.xlsx). .dockerignore lets in the app only.
COPY . .
VOLUME /data
USER clerk
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os,urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT','3000'), timeout=3)" || exit 1
# Python is PID 1 here: bot.py handles TERM from its first instruction (docker stop takes under 2 s
# at any moment), and the sender process it starts is its own to wait for.
CMD ["python", "bot.py"]
