#!/usr/bin/env bash
# Install the Debian packages spinecheck needs beyond Python, when they are missing:
#   pdf       WeasyPrint's pango and fonts (the report for the doctor as PDF)
#   postgres  the PostgreSQL 15 server the tests run the storage tests against
# Idempotent and quiet; needs root to install (CI runs as root), else it says what to run.
set -euo pipefail
want=()
for part in "$@"; do
  case "$part" in
    pdf) want+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core) ;;
    postgres) want+=(postgresql) ;;
    *) echo "unknown part: $part (use pdf or postgres)" >&2; exit 2 ;;
  esac
done
missing=()
for package in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]} — run as root, or: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
