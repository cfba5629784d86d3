# The site as one image: gunicorn serving Django, static files by WhiteNoise.
#
#   podman build -t bilateral-relations .       (or docker build)
#   --build-arg PYTHON_IMAGE=…  any Debian-based image with python3 and venv
#
# Nothing secret is baked in: every setting comes from the environment at run
# time (.env.example).
ARG PYTHON_IMAGE=python:3.13-slim

# Build: the pinned dependencies in a virtual environment, the compiled
# translations and the collected static files.
FROM ${PYTHON_IMAGE} AS build
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python3 -m venv /opt/venv
COPY requirements.txt requirements-dev.txt /tmp/
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt
# Babel compiles the catalogue, as `make install` does; it is a build tool, so it
# goes in a venv of its own that the image leaves behind, at the locked version.
RUN python3 -m venv /opt/build \
    && /opt/build/bin/pip install "$(grep -i '^babel==' /tmp/requirements-dev.txt)"
WORKDIR /app
COPY . .
# The settings need a key to load, not a real one: a throwaway, never kept.
RUN /opt/build/bin/pybabel --quiet compile --directory locale --domain django --locale fr \
    && DJANGO_SECRET_KEY=build-only /opt/venv/bin/python manage.py collectstatic \
        --no-input --verbosity 0

# Run: the same base, without the build tools; the code owned by root and
# read-only to the app, which writes only to var/ (the SQLite default and the
# file cache).
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH
RUN useradd --uid 10001 --no-create-home --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
RUN mkdir -p var && chown app:app var
USER app
EXPOSE 8000
# Liveness, on the port gunicorn listens on (gunicorn.conf.py, GUNICORN_BIND).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python3", "-c", "import os, urllib.request; port = os.environ.get('GUNICORN_BIND', ':8000').rsplit(':', 1)[1]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]
# Workers, timeouts and logging: gunicorn.conf.py (GUNICORN_* variables).
CMD ["gunicorn", "config.wsgi"]
