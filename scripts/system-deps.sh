#!/usr/bin/env bash
# Qt's system libraries (and poppler-utils for the receipt tests). On Debian/Ubuntu as root they
# are installed with apt; otherwise this prints exactly what is missing and how to install it.
set -uo pipefail

PACKAGES=(libegl1 libgl1 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
          libpulse0 libasound2 libpipewire-0.3-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
          libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libx11-xcb1 poppler-utils)
LIBRARIES=(libEGL.so.1 libGL.so.1 libglib-2.0.so.0 libxkbcommon.so.0 libxkbcommon-x11.so.0 libfontconfig.so.1
           libfreetype.so.6 libdbus-1.so.3 libpulse.so.0 libxcb-cursor.so.0 libxcb-icccm.so.4)

if [ "$(uname -s)" != "Linux" ]; then
    exit 0  # Windows and macOS wheels of Qt carry what they need
fi

if command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    for package in "${PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
        [[ "$status" == "install ok installed" ]] || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && exit 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing system packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null && exit 0
        # Older releases name some packages differently (libasound2t64 on Ubuntu 24.04): try one by one.
        failed=()
        for package in "${missing[@]}"; do
            apt-get install -y -qq --no-install-recommends "$package" >/dev/null 2>&1 \
                || apt-get install -y -qq --no-install-recommends "${package}t64" >/dev/null 2>&1 \
                || failed+=("$package")
        done
        [ ${#failed[@]} -eq 0 ] && exit 0
        echo "could not install: ${failed[*]}" >&2
        exit 1
    fi
    echo "Missing system packages for Qt: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi

missing=()
for library in "${LIBRARIES[@]}"; do
    ldconfig -p 2>/dev/null | grep -q "$library" || missing+=("$library")
done
command -v pdftoppm >/dev/null 2>&1 || missing+=("pdftoppm (poppler-utils)")
if [ ${#missing[@]} -gt 0 ]; then
    echo "Missing system libraries for Qt: ${missing[*]}" >&2
    echo "Install them with your distribution's package manager, then run this again." >&2
    exit 1
fi
