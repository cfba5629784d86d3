# The site as one image: gunicorn serving Django, static files by WhiteNoise.
# Hardened (multi-stage, pinned base) in a later change; see docs/deployment.md.
ARG PYTHON_IMAGE=python:3.13-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python3 -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY . .

# Building needs the settings, not a secret: a throwaway key, never kept.
RUN DJANGO_SECRET_KEY=build-only python manage.py compilemessages \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input --verbosity 0 \
    && mkdir -p var \
    && chown app:app var

USER app
EXPOSE 8000
# Workers, timeouts and logging: gunicorn.conf.py (GUNICORN_* variables).
CMD ["gunicorn", "config.wsgi"]
