#!/bin/sh
# The browser tests drive Debian's chromium (Playwright downloads no browser): install it if missing.
set -eu
CHROMIUM="${CIVIC_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "The browser tests need Chromium at $CHROMIUM. Install it with 'sudo apt-get install chromium'" >&2
    echo "(Debian/Ubuntu), or point CIVIC_CHROMIUM at a Chromium or Chrome binary." >&2
    exit 1
fi
echo "Installing chromium for the browser tests (apt-get)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
[ -x "$CHROMIUM" ] || { echo "chromium was installed but $CHROMIUM is missing; set CIVIC_CHROMIUM" >&2; exit 1; }
