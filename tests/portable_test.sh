#!/bin/sh
# make static's bundle on a host that has nothing of vigil's (issue 20, 9): a root holding only
# the bundle and a disk image to inspect, entered with chroot in a mount namespace this test
# makes (its /proc mounted there only). vigil must start, find its rules, triage and audit the
# image. Exit 77 (skipped) when not root.
#   tests/portable_test.sh BUILD_DIR
set -eu
build=$1
here=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "skipped: chroot and unshare need root"; exit 77; }
work=$(mktemp -d /tmp/vigil-portable-XXXXXX)
trap 'rm -rf "$work"' EXIT
"$here/scripts/portable.sh" "$build" "$work/bundle" >/dev/null
root="$work/root"
mkdir -p "$root/opt" "$root/proc" "$root/image/etc" "$root/tmp"
mv "$work/bundle" "$root/opt/vigil"
printf 'root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/bash\n' > "$root/image/etc/passwd"
printf 'root:*:1::::::\ntoor:$6$s$h:1::::::\n' > "$root/image/etc/shadow"
printf 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' > "$root/image/etc/os-release"
# Nothing else: no /lib, no /usr, no shell in the root.
[ ! -e "$root/lib" ] && [ ! -e "$root/usr" ] && [ ! -e "$root/bin" ] || { echo "the root is not empty"; exit 1; }
in_root() {
  unshare --mount --fork sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" "$@"
}
version=$(in_root /opt/vigil/vigil --version)
echo "$version" | grep -q '^vigil ' || { echo "--version printed: $version"; exit 1; }
start=$(date +%s%N)
for i in 1 2 3 4 5; do in_root /opt/vigil/vigil --version >/dev/null; done
echo "start-up (chroot, unshare and mount included): $(( ($(date +%s%N) - start) / 5000000 )) ms a run"
set +e
in_root /opt/vigil/vigil triage --root /image --format json --no-suppress > "$work/triage.json"
rc=$?
set -e
[ $rc -le 1 ] || { echo "triage --root exited $rc"; exit 1; }
grep -q '"account.uid0-duplicate"' "$work/triage.json" || { echo "triage did not find the second uid 0"; head -c 2000 "$work/triage.json"; exit 1; }
set +e
in_root /opt/vigil/vigil audit --root /image --no-commands --format json > "$work/audit.json"
rc=$?
set -e
[ $rc -le 1 ] || { echo "audit --root exited $rc"; exit 1; }
grep -q '"vigil_debian_server"' "$work/audit.json" || { echo "audit found no policy (rules not in the bundle?)"; exit 1; }
echo "portable bundle: $(du -sh "$root/opt/vigil" | cut -f1), ran in an empty root: --version, triage --root, audit --root"
