#!/usr/bin/env bash
# Install Debian's Chromium (and a font) for the browser tests when it is missing.
# Idempotent and quiet; needs root (CI runs as root). Playwright drives /usr/bin/chromium and
# never downloads a browser of its own.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing: run as root, or: sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
