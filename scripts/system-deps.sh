#!/usr/bin/env bash
# The system packages the test suite needs, and a running PostgreSQL on 127.0.0.1:5432.
#
# As root on Debian: installs what is missing (apt-get) and starts PostgreSQL.
# As another user: when something is missing, prints the command to run and fails.
# `make test` and `make test-fast` call this first.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)                      # charts and browser tests
command -v pg_ctlcluster >/dev/null || need+=(postgresql)           # every storage test
command -v python3.11 >/dev/null || need+=(python3.11 python3.11-venv)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)  # report PDF
command -v pdftotext >/dev/null || need+=(poppler-utils)            # tests read the report PDF
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)  # reverse-proxy test
command -v openssl >/dev/null || need+=(openssl)                  # its test certificate

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Mangler systempakker / missing system packages: ${need[*]}" >&2
    echo "Kør / run:  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  apt-get install -y -qq "${need[@]}"
fi

# PostgreSQL must be up: the suite runs every storage test against it and fails if it cannot.
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL kører ikke på 127.0.0.1:5432 / is not running." >&2
    echo "Kør / run:  sudo pg_ctlcluster $(ls /etc/postgresql | head -1) main start" >&2
    exit 1
  fi
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432 -q || { echo "PostgreSQL svarer ikke / does not answer." >&2; exit 1; }

# The tests connect as postgres@127.0.0.1/test without a password (TEST_POSTGRES_URL overrides).
if [ -z "${TEST_POSTGRES_URL:-}" ] && ! psql -h 127.0.0.1 -U postgres -d test -w -qAtc 'SELECT 1' >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Kan ikke logge på postgres@127.0.0.1/test uden adgangskode / cannot connect." >&2
    echo "Sæt TEST_POSTGRES_URL, eller kør make test som root / set it, or run as root." >&2
    exit 1
  fi
  cluster="$(ls /etc/postgresql | head -1)"
  hba="/etc/postgresql/$cluster/main/pg_hba.conf"
  line="host all postgres 127.0.0.1/32 trust  # erhvervshus tests"
  if ! grep -qF "$line" "$hba"; then
    echo "Tilføjer / adding to $hba: $line"
    sed -i "1i $line" "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$cluster" main reload
  fi
  su postgres -c "psql -qAtc \"SELECT 1 FROM pg_database WHERE datname = 'test'\"" | grep -q 1 \
    || su postgres -c "createdb test"
fi
