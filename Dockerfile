# cadre-portal: one image for the web server, the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Requirements before the code, so that a code change does not reinstall them.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# The production settings refuse to load without these; the values exist for this step only
# and are not kept in the image.
RUN DJANGO_SETTINGS_MODULE=cadre_portal.settings.production \
    DJANGO_SECRET_KEY=collectstatic-only \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    python manage.py collectstatic --noinput

# Not root: the app only needs to write uploaded files, in a directory of its own.
RUN useradd --system --no-create-home app \
    && mkdir -p /var/lib/cadre-portal/media \
    && chown -R app /var/lib/cadre-portal
USER app

ENV DJANGO_SETTINGS_MODULE=cadre_portal.settings.production \
    DJANGO_MEDIA_ROOT=/var/lib/cadre-portal/media
EXPOSE 8000
CMD ["gunicorn", "cadre_portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
