# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    PASAR_VAR_DIR=/app/var

RUN apt-get update \
    && apt-get install -y --no-install-recommends libjpeg62-turbo libwebp7 gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
COPY config ./config
COPY marketplace ./marketplace
COPY payments ./payments
COPY search ./search
COPY cms ./cms
RUN pip install .
COPY . .

# collectstatic needs settings to import; the build has no secrets, so it uses a throwaway key.
RUN DJANGO_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=build \
    python manage.py collectstatic --no-input -v0 \
    && python manage.py compilemessages --ignore=.venv -v0

RUN useradd --create-home --uid 1000 pasar && mkdir -p /app/var && chown -R pasar /app/var
USER pasar

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
