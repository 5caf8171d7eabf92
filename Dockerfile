# syntax=docker/dockerfile:1
# Clerk - Slack app.  Build:  docker build -t clerk .
# Run:    docker run -e SLACK_BOT_TOKEN=... -e SLACK_SIGNING_SECRET=... -p 3000:3000 -v clerk-data:/data clerk

ARG PYTHON_VERSION=3.11

# ---- build: resolve and install the pinned requirements into /opt/venv ----
FROM python:${PYTHON_VERSION}-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# ---- runtime ----
FROM python:${PYTHON_VERSION}-slim AS runtime
RUN groupadd --system --gid 10001 clerk \
 && useradd --system --uid 10001 --gid clerk --home-dir /app --no-create-home --shell /usr/sbin/nologin clerk \
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
# The code stays root-owned (read-only for clerk); only /data is writable.
COPY . .
VOLUME /data
USER clerk
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os,urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT','3000'), timeout=3)" || exit 1
CMD ["python", "bot.py"]
