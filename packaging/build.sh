#!/usr/bin/env bash
# Build the installers: the one-folder program DIST_DIR/counter-app (Linux or Windows), its
# self-check, and on Debian/Ubuntu the package DIST_DIR/counter-app_VERSION_ARCH.deb.
#
#   packaging/build.sh [DIST_DIR]          default DIST_DIR: dist/ at the top of the repository
#
# Environment: PYTHON (default: the repository's .venv, else python3), WORK_DIR (PyInstaller's
# scratch folder, default build/pyinstaller), SKIP_SELFCHECK=1 to skip running the result,
# SKIP_DEB=1 to skip the Debian package. Windows: see packaging/windows/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
dist="${1:-$root/dist}"
work="${WORK_DIR:-$root/build/pyinstaller}"
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x "$root/.venv/bin/python" ]]; then PYTHON="$root/.venv/bin/python"; else PYTHON=python3; fi
fi

"$PYTHON" -c "import PyInstaller" 2>/dev/null || {
    echo "build.sh: PyInstaller is not installed for $PYTHON (pip install -e '.[package]')" >&2
    exit 2
}

mkdir -p "$dist" "$work"
started=$SECONDS
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN --distpath "$dist" --workpath "$work" "$here/counter_app.spec"
program="$dist/counter-app/counter-app"
[[ -x "$program" ]] || program="$dist/counter-app/counter-app.exe"
echo "built $program in $((SECONDS - started)) s ($(du -sh "$dist/counter-app" | cut -f1))"

if [[ "${SKIP_SELFCHECK:-0}" != 1 ]]; then
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    "$program" selfcheck --data-dir "$scratch"
fi

if [[ "${SKIP_DEB:-0}" != 1 ]] && command -v dpkg-deb >/dev/null 2>&1; then
    bash "$here/build-deb.sh" "$dist"
fi
