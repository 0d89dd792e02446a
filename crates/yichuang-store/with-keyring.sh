#!/bin/sh
# Runs a command where the keyring crate reaches a real Secret Service.
#
# Desktop sessions already have one: if DBUS_SESSION_BUS_ADDRESS is set and
# org.freedesktop.secrets answers on it, the command just runs. Headless machines
# (CI, SSH, containers) get a private D-Bus session bus with gnome-keyring-daemon
# started in it and its login keyring unlocked with a throw-away password, kept in
# a temporary directory that is removed afterwards; the user's own keyrings are
# never touched. Needs the Debian packages dbus and gnome-keyring.
#
# Usage: with-keyring.sh COMMAND [ARGS...]
#   e.g. crates/yichuang-store/with-keyring.sh cargo test -p yichuang-store
set -eu

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

secret_service_answers() {
    [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || return 1
    # Reading a property auto-starts an activatable service and fails if none answers.
    timeout 10 dbus-send --session --print-reply --dest=org.freedesktop.secrets \
        /org/freedesktop/secrets org.freedesktop.DBus.Properties.Get \
        string:org.freedesktop.Secret.Service string:Collections >/dev/null 2>&1
}

if secret_service_answers; then
    exec "$@"
fi

for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "with-keyring.sh: $tool not found; install the Debian packages dbus and gnome-keyring" >&2
        exit 127
    fi
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/yichuang-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -m 700 "$scratch/data" "$scratch/runtime"
# A fresh password per run for a keyring that lives only as long as this run.
password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

status=0
KEYRING_PASSWORD="$password" KEYRING_SCRATCH="$scratch" dbus-run-session -- sh -c '
    set -eu
    printf %s "$KEYRING_PASSWORD" |
        XDG_DATA_HOME="$KEYRING_SCRATCH/data" XDG_RUNTIME_DIR="$KEYRING_SCRATCH/runtime" \
        gnome-keyring-daemon --unlock --components=secrets >/dev/null
    unset KEYRING_PASSWORD KEYRING_SCRATCH
    # The daemon forks before it owns its bus name; a request in between would make D-Bus
    # start a second, locked daemon of its own. Wait (10 s at most) until ours answers.
    tries=0
    until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q "boolean true"; do
        tries=$((tries + 1))
        if [ "$tries" -ge 100 ]; then
            echo "with-keyring.sh: gnome-keyring-daemon did not take org.freedesktop.secrets within 10 s" >&2
            exit 1
        fi
        sleep 0.1
    done
    exec "$@"
' with-keyring "$@" || status=$?
exit "$status"
