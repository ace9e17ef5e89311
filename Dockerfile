# One image for web, worker and beat; docker-compose.yml picks the command.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

# Build-time only values so that collectstatic and compilemessages can load the settings.
RUN DEBUG=1 python manage.py compilemessages --ignore=.venv -v 0 \
 && DEBUG=1 STATIC_MANIFEST=1 python manage.py collectstatic --noinput -v 0

RUN useradd --create-home samenspel && mkdir -p /data/media && chown samenspel /data/media
USER samenspel
EXPOSE 8000
CMD ["gunicorn", "-c", "python:portal.gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
