#!/usr/bin/env bash
# Build the container image with podman (and runc) and prove it serves: run
# its migrations against this machine's PostgreSQL, start it, load the demo
# content, and request a page, /healthz and /readyz.
#
# The base image is Debian trixie made with debootstrap (no registry needed),
# cached between runs. This machine's certificate bundle and a pip.conf
# pointing at it are mounted for the build only, never copied into the image.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL=${IMAGE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}
BASE=localhost/debian-trixie-python3
IMAGE=localhost/bilateral-relations:test
NAME=relations-image-test-$$
DATABASE=relations_image_$$
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "Tools"
missing=()
for tool in podman runc debootstrap psql curl; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    packages=$(printf '%s\n' "${missing[@]}" | sed 's/^psql$/postgresql-client/')
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
fi
if ! grep -qs '^default_ulimits' /etc/containers/containers.conf; then
    as_root mkdir -p /etc/containers
    printf '[containers]\ndefault_ulimits = []\n' | as_root tee /etc/containers/containers.conf >/dev/null
fi
podman() { command podman --runtime runc "$@"; }

work=$(mktemp -d)
cleanup() {
    podman rm -f "$NAME" >/dev/null 2>&1 || true
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null 2>&1 || true
    as_root rm -rf "$work"
}
trap cleanup EXIT
printf '[global]\ncert = /run/host-ca.crt\n' > "$work/pip.conf"
mounts=(-v /etc/ssl/certs/ca-certificates.crt:/run/host-ca.crt:ro -v "$work/pip.conf:/etc/pip.conf:ro")

if ! podman image exists "$BASE"; then
    if ! podman image exists localhost/debian-trixie; then
        step "Debian trixie base (debootstrap, once)"
        as_root debootstrap --variant=minbase trixie "$work/root" http://deb.debian.org/debian >"$work/debootstrap.log"
        as_root tar -C "$work/root" -c . | podman import - localhost/debian-trixie >/dev/null
    fi
    step "python3 on the base (once)"
    printf 'FROM localhost/debian-trixie\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates && rm -rf /var/lib/apt/lists/*\n' > "$work/Containerfile"
    podman build --network=host "${mounts[@]}" -t "$BASE" -f "$work/Containerfile" "$work" >"$work/base.log"
fi

step "Build the image"
podman build --format docker --network=host "${mounts[@]}" \
    --build-arg PYTHON_IMAGE="$BASE" -t "$IMAGE" . >"$work/build.log" \
    || { tail -40 "$work/build.log"; exit 1; }

step "Migrate a fresh database"
psql "$PG_URL/postgres" -qc "CREATE DATABASE $DATABASE"
settings=(
    -e DATABASE_URL="$PG_URL/$DATABASE"
    -e DJANGO_SECRET_KEY="image-test-$(python3 -c 'import secrets; print(secrets.token_urlsafe(30))')"
    -e DJANGO_ALLOWED_HOSTS=127.0.0.1
    -e DJANGO_SECURE_SSL_REDIRECT=0
)
podman run --rm --network=host --health-interval=disable "${settings[@]}" "$IMAGE" python manage.py migrate --no-input >/dev/null

step "Start it"
# No systemd here to time the HEALTHCHECK: it is run once, below.
podman run -d --name "$NAME" --network=host --health-interval=disable "${settings[@]}" \
    -e GUNICORN_BIND="127.0.0.1:$PORT" -e GUNICORN_WORKERS=2 "$IMAGE" >/dev/null
for _ in $(seq 60); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 1
done
podman exec "$NAME" python manage.py load_demo >/dev/null

step "Requests"
check() {
    local path=$1 expected=$2 status
    status=$(curl -s -o "$work/body" -w '%{http_code}' "http://127.0.0.1:$PORT$path")
    if [ "$status" != "$expected" ]; then
        echo "FAIL $path: $status, expected $expected"; head -c 2000 "$work/body"; echo
        podman logs "$NAME" | tail -30
        exit 1
    fi
    echo "ok   $path $status"
}
check /healthz 200
check /readyz 200
check /en/ 200
check /en/offices/ 200
check /static/css/site.css 200
check /fr/relations/etats-unis/ 200
grep -q "Relations Canada" "$work/body" || { echo "FAIL: the French page lacks its title"; exit 1; }
# Interface text comes from the catalogue the build compiled (Babel).
grep -q "Passer au contenu principal" "$work/body" \
    || { echo "FAIL: the French page's interface text is not translated"; exit 1; }
user=$(podman exec "$NAME" id -u)
[ "$user" != 0 ] || { echo "FAIL: the app runs as root"; exit 1; }
echo "ok   runs as uid $user"
podman healthcheck run "$NAME" >/dev/null || { echo "FAIL: the image's HEALTHCHECK"; exit 1; }
echo "ok   HEALTHCHECK passes"
step "Image test passed"
