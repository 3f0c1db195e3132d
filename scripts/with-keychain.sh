#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throwaway, unlocked gnome-keyring, so tests (and CI) use
# the real Secret Service without touching the user's keyring. Usage: scripts/with-keychain.sh <command> [args…]
# The exit code is the command's. Needs the Debian packages dbus and gnome-keyring (libsecret-1-dev builds keytar).
set -euo pipefail

fail() {
  echo "with-keychain: $*" >&2
  exit 127
}

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [ "${WITH_KEYCHAIN_INNER:-}" != "1" ]; then
  for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool not found; install the Debian packages dbus and gnome-keyring"
  done
  # A fresh HOME and XDG dirs: an existing keyring under another password would stay locked, and the daemon would
  # otherwise write into the real home.
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/with-keychain.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
  chmod 700 "$scratch/runtime"
  set +e
  HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
    XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime" WITH_KEYCHAIN_INNER=1 \
    dbus-run-session -- "$0" "$@"
  status=$?
  set -e
  exit "$status"
fi

# Inside the private session. The password only protects this throwaway keyring.
unset WITH_KEYCHAIN_INNER
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
printf '%s' "$password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
  || fail "gnome-keyring-daemon could not start or unlock the keyring"

# Wait until the Secret Service name is on the bus (the daemon registers it asynchronously).
for _ in $(seq 1 50); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
    exec "$@"
  fi
  sleep 0.1
done
fail "the Secret Service (org.freedesktop.secrets) did not appear on the private D-Bus session"
