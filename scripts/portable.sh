#!/bin/sh
# make static: a portable vigil — the binary with every shared library it loads, the dynamic
# loader, a static launcher and the rules, in one directory and one .tar.gz. Copied to a
# suspect host (any glibc, none of vigil's libraries installed) it runs as DIR/vigil.
# Why not a fully static binary: Debian ships no static libsystemd, libbpf or libnftables, and a
# static glibc cannot load NSS modules; the loader-and-libraries bundle needs nothing from the
# host but a Linux kernel.
#   scripts/portable.sh BUILD_DIR OUT_DIR   (writes OUT_DIR and OUT_DIR.tar.gz)
set -eu
build=$1
out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$build/vigil"
[ -x "$bin" ] || { echo "portable: $bin is not built (make build first)" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out/lib" "$out/share/vigil"
cp "$bin" "$out/lib/vigil.bin"
loader=$(readelf -l "$bin" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[ -n "$loader" ] || { echo "portable: $bin names no program interpreter" >&2; exit 2; }
cp -L "$loader" "$out/lib/ld.so"
# Every library the loader resolves for vigil (ldd runs the loader in its listing mode).
ldd "$bin" | awk '/=> \// {print $3}' | while read -r lib; do cp -L "$lib" "$out/lib/"; done
# Debug information stays with the build: the bundle is for running.
strip --strip-unneeded "$out/lib/"* 2>/dev/null || true
cc -static -O2 -s -o "$out/vigil" "$here/tools/portable_launcher.c"
cp -r "$here/rules" "$out/share/vigil/rules"
tar -C "$(dirname "$out")" -czf "$out.tar.gz" "$(basename "$out")"
echo "portable: $out ($(du -sh "$out" | cut -f1); $(ls "$out/lib" | wc -l) files in lib/), $out.tar.gz ($(du -h "$out.tar.gz" | cut -f1))"
