#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for the metadata-store tests:
# install it from Debian's packages if missing, start the cluster if it is stopped.
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! command -v pg_ctlcluster >/dev/null; then
  bash "$(dirname "$0")/apt-install.sh" postgresql
fi
if ready; then exit 0; fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
for _ in $(seq 1 30); do ready && break; sleep 1; done
if ! ready; then
  echo "PostgreSQL does not answer on 127.0.0.1:5432; see /var/log/postgresql/" >&2
  exit 1
fi
# Trust for local TCP connections of the test user, as the tests connect without a password.
psql -h 127.0.0.1 -U postgres -c 'select 1' >/dev/null 2>&1 || {
  echo "cannot connect as postgres on 127.0.0.1 without a password; allow it in pg_hba.conf" >&2
  exit 1
}
