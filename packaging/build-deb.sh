#!/usr/bin/env bash
# Make the Debian package from the built one-folder program (packaging/build.sh makes it):
#
#   packaging/build-deb.sh [DIST_DIR]      reads DIST_DIR/counter-app, writes DIST_DIR/counter-app_VERSION_ARCH.deb
#
# For Debian, Ubuntu and the Debian-based 统信UOS and 麒麟 desktops. Installs the program under
# /opt/counter-app, `counter-app` on the PATH, a menu entry per role, systemd services for hub and
# hq (and a daily backup timer), and autostart entries with restart for kiosk, display and
# evaluator. Removing the package, even purging it, keeps /etc/counter-app and /var/lib/counter-app.
# Depends: are the packages owning the system libraries the bundle links to (found with ldd and
# dpkg -S on this build machine, like dpkg-shlibdeps), so build on the oldest release you support.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
dist="${1:-$root/dist}"
bundle="$dist/counter-app"
[[ -x "$bundle/counter-app" ]] || { echo "build-deb.sh: no program in $bundle: run packaging/build.sh first" >&2; exit 2; }
command -v dpkg-deb >/dev/null || { echo "build-deb.sh: dpkg-deb is needed (Debian/Ubuntu: apt-get install dpkg)" >&2; exit 2; }

version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/counter_app/__init__.py")"
arch="$(dpkg --print-architecture)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
pkg="$stage/pkg"

install -d "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" "$pkg/usr/share/icons/hicolor/scalable/apps" \
    "$pkg/lib/systemd/system" "$pkg/usr/share/counter-app/autostart" "$pkg/usr/share/doc/counter-app" "$pkg/DEBIAN"
cp -a "$bundle" "$pkg/opt/counter-app"
install -m 755 "$here/deb/counter-app-keepalive" "$pkg/opt/counter-app/counter-app-keepalive"
ln -s /opt/counter-app/counter-app "$pkg/usr/bin/counter-app"
install -m 644 "$here/deb/counter-app.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/counter-app.svg"
install -m 644 "$here"/deb/*.service "$here"/deb/*.timer "$pkg/lib/systemd/system/"
install -m 644 "$root/docs/IT.md" "$pkg/usr/share/doc/counter-app/IT.md"

# One menu entry per role: name (zh), name (en), role, arguments.
entry() {  # file name zh en exec
    cat > "$1" <<DESKTOP
[Desktop Entry]
Type=Application
Name=$3
Name[zh_CN]=$2
Comment=counter-app $4
Exec=$5
Icon=counter-app
Terminal=false
Categories=Office;
DESKTOP
}
apps="$pkg/usr/share/applications"
entry "$apps/counter-app-counter.desktop" "营业窗口" "Counter" "counter" "/opt/counter-app/counter-app counter"
entry "$apps/counter-app-manager.desktop" "主任工作台" "Manager console" "manager" "/opt/counter-app/counter-app manager"
entry "$apps/counter-app-kiosk.desktop" "取号机" "Ticket kiosk" "kiosk" "/opt/counter-app/counter-app kiosk"
entry "$apps/counter-app-display.desktop" "叫号大屏" "Hall display" "display" "/opt/counter-app/counter-app display"
entry "$apps/counter-app-evaluator.desktop" "评价器" "Evaluator" "evaluator" "/opt/counter-app/counter-app evaluator"
entry "$apps/counter-app-hq-console.desktop" "总部控制台" "Head-office console" "hq-console" "/opt/counter-app/counter-app hq-console"
entry "$apps/counter-app-setup.desktop" "首次设置" "counter-app set-up" "setup" "/opt/counter-app/counter-app setup"
# Autostart with restart for the hall's unattended screens; IT copies one into /etc/xdg/autostart.
for role in kiosk display evaluator; do
    entry "$pkg/usr/share/counter-app/autostart/counter-app-$role.desktop" "counter-app $role" "counter-app $role" \
        "$role (autostart)" "/opt/counter-app/counter-app-keepalive $role"
    echo "X-GNOME-Autostart-enabled=true" >> "$pkg/usr/share/counter-app/autostart/counter-app-$role.desktop"
done

# Depends: the packages owning the system libraries that the bundle's files load and does not carry
# itself (a library the bundle has a copy of is loaded from the bundle).
find "$pkg/opt/counter-app" -type f -name '*.so*' -printf '%f\n' | sort -u > "$stage/bundled"
libs="$(find "$pkg/opt/counter-app" -type f \( -name '*.so*' -o -name counter-app \) -print0 \
    | xargs -0 -n 40 ldd 2>/dev/null | awk '/=> \// {print $1, $3}' | sort -u \
    | grep -v -w -F -f "$stage/bundled" | awk '{print $2}' | sort -u)"
depends="$( (for lib in $libs; do dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null; done) \
    | cut -d: -f1 | sort -u | grep -v '^libc6$' | paste -sd, | sed 's/,/, /g')"
depends="libc6 (>= $(ldd --version | awk 'NR==1 {print $NF}')), adduser${depends:+, $depends}"
size_kb="$(du -sk "$pkg" | cut -f1)"

cat > "$pkg/DEBIAN/control" <<CONTROL
Package: counter-app
Version: $version
Architecture: $arch
Maintainer: counter_app IT <it@counter-app.invalid>
Installed-Size: $size_kb
Depends: $depends
Recommends: cups, speech-dispatcher, libpulse0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-render-util0, libxcb-xinerama0, libxkbcommon-x11-0
Section: misc
Priority: optional
Description: utility service-hall program (营业厅窗口系统)
 Queue calling, fee collection with receipts, connection applications,
 ratings and statistics for a water or power utility's service hall.
 One program for every role: counter, kiosk, hall display, evaluator,
 manager console, branch hub and head-office server.
CONTROL
install -m 755 "$here/deb/postinst" "$here/deb/prerm" "$here/deb/postrm" "$pkg/DEBIAN/"

out="$dist/counter-app_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz -z${DEB_COMPRESSION:-1} --build "$pkg" "$out" >/dev/null
echo "built $out ($(du -h "$out" | cut -f1), installs $((size_kb / 1024)) MB)"
