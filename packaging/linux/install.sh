#!/bin/sh
# Install (or remove) the StackOne RPC Explorer bundle for the current user, so it appears in
# the desktop's application menu with its icon. No root needed; nothing outside $HOME changes.
#
#   ./install.sh              copy this folder to ~/.local/opt/stackone-explorer, add the
#                             launcher ~/.local/bin/stackone-explorer, the menu entry and icons
#   ./install.sh --uninstall  remove all of that again (settings and history stay)
#
# build.sh copies this script into the bundle folder (dist/stackone-explorer/install.sh).
# Respects XDG_DATA_HOME; PREFIX (default ~/.local) moves the program and launcher.
set -eu

APP_ID=com.stackone.Explorer
NAME=stackone-explorer
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
target=$prefix/opt/$NAME
launcher=$prefix/bin/$NAME
desktop=$data_home/applications/$APP_ID.desktop
metainfo=$data_home/metainfo/$APP_ID.metainfo.xml
icons=$data_home/icons/hicolor
sizes="16 24 32 48 64 128 256 512"

refresh_caches() {
    # Desktops notice new menu entries by themselves. An icon cache only needs refreshing if
    # one exists already; creating one would hide icons other programs add later.
    if [ -f "$icons/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$target"
    rm -f "$launcher" "$desktop" "$metainfo" "$icons/scalable/apps/$APP_ID.svg"
    for size in $sizes; do rm -f "$icons/${size}x${size}/apps/$APP_ID.png"; done
    refresh_caches
    echo "Removed StackOne RPC Explorer. Your settings and history were kept."
    exit 0
fi
if [ $# -gt 0 ]; then
    echo "usage: $0 [--uninstall]" >&2
    exit 2
fi

resources=$here/_internal/explorer/resources
if [ ! -x "$here/$NAME" ] || [ ! -d "$resources" ]; then
    echo "install.sh: run me from inside the unpacked stackone-explorer folder." >&2
    exit 1
fi

if [ "$here" != "$target" ]; then
    rm -rf "$target.new"
    mkdir -p "$(dirname "$target")"
    cp -R "$here" "$target.new"
    rm -rf "$target"
    mv "$target.new" "$target"
fi
resources=$target/_internal/explorer/resources

mkdir -p "$(dirname "$launcher")" "$(dirname "$desktop")" "$(dirname "$metainfo")"
ln -sf "$target/$NAME" "$launcher"
# Point Exec at the installed program: ~/.local/bin is often missing from the desktop's PATH.
sed "s|^Exec=$NAME|Exec=$target/$NAME|" "$resources/linux/$APP_ID.desktop" >"$desktop"
cp "$resources/linux/$APP_ID.metainfo.xml" "$metainfo"
for size in $sizes; do
    mkdir -p "$icons/${size}x${size}/apps"
    cp "$resources/icons/$NAME-$size.png" "$icons/${size}x${size}/apps/$APP_ID.png"
done
mkdir -p "$icons/scalable/apps"
cp "$resources/icons/$NAME.svg" "$icons/scalable/apps/$APP_ID.svg"
refresh_caches

echo "Installed StackOne RPC Explorer $("$target/$NAME" --version | cut -d' ' -f2) in $target"
echo "Start it from the application menu or with: $launcher"
case ":$PATH:" in
*":$prefix/bin:"*) ;;
*) echo "Note: $prefix/bin is not on your PATH; add it to start the app by name." ;;
esac
