#!/usr/bin/env bash
# The real-WordPress tier: install Debian's WordPress, MariaDB and PHP if missing, run a private
# MariaDB and PHP's built-in server on loopback, seed a blog through WordPress's own API, then run
# tests/wordpress with pytest, which crawls it with `blogcorpus crawl` in several set-ups.
#
# Run from the repository root (the project's venv at .venv). Needs root to install packages.
# Where the packages are missing and cannot be installed, this is a failure in CI (CI=true,
# exit 3) and a loud skip elsewhere (exit 0).
#
# Environment it reads: BLOGCORPUS_WP_POSTS (posts to seed, default 150), BLOGCORPUS_WP_KEEP=1
# (keep the temporary directory and print its path), BLOGCORPUS_WP_SERVE_ONLY=1 (set up, print
# the address, and serve until interrupted instead of running pytest).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PACKAGES=(wordpress wordpress-theme-twentytwentyone wordpress-theme-twentytwentythree
          mariadb-server php-cli php-mysql php-xml php-mbstring)
EXIT_UNAVAILABLE=3
TIER_START=$SECONDS

log() { printf '[wordpress-tier %4ds] %s\n' "$((SECONDS - TIER_START))" "$*" >&2; }

unavailable() {
    if [[ "${CI:-}" =~ ^(1|true|yes)$ ]]; then
        echo "FAILED: real-WordPress tier cannot run in CI: $*" >&2
        exit "$EXIT_UNAVAILABLE"
    fi
    echo "SKIPPED: real-WordPress tier not run: $*" >&2
    exit 0
}

# --- 1. packages --------------------------------------------------------------------------------
step=$SECONDS
command -v dpkg-query >/dev/null 2>&1 || unavailable "not a Debian system (no dpkg-query)"
missing=()
for pkg in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$pkg")
    fi
done
if ((${#missing[@]})); then
    [[ $(id -u) -eq 0 ]] || unavailable "packages missing (${missing[*]}) and not root to install them"
    command -v apt-get >/dev/null 2>&1 || unavailable "packages missing (${missing[*]}) and no apt-get"
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null || unavailable "apt-get update failed"
    # No recommends: they would pull in and possibly start a system web server we do not use.
    apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null \
        || unavailable "apt-get install ${PACKAGES[*]} failed"
fi
[[ -x "$REPO/.venv/bin/python" ]] || unavailable "no project virtualenv at $REPO/.venv"
log "packages ready ($((SECONDS - step)) s)"

# --- 2. private MariaDB -------------------------------------------------------------------------
WORK="$(mktemp -d /tmp/blogcorpus-wp.XXXXXX)"
chmod 700 "$WORK"
PIDS=()
cleanup() {
    local rc=$?
    # Each service runs in its own process group (setsid), so its workers go with it.
    for pid in "${PIDS[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [[ "${BLOGCORPUS_WP_KEEP:-}" == 1 ]]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step=$SECONDS
DB_SOCKET="$WORK/mysqld.sock"
RUN_AS=()
[[ $(id -u) -eq 0 ]] && RUN_AS=(--user=root)   # mariadbd refuses to run as root unless told
mariadb-install-db --no-defaults --datadir="$WORK/db" "${RUN_AS[@]}" \
    --auth-root-authentication-method=normal --skip-test-db >"$WORK/install-db.log" 2>&1 \
    || { cat "$WORK/install-db.log" >&2; exit 1; }
# Unix socket only: no TCP port to collide with, nothing listening beyond this directory.
setsid mariadbd --no-defaults --datadir="$WORK/db" --socket="$DB_SOCKET" --skip-networking \
    --pid-file="$WORK/mysqld.pid" --log-error="$WORK/mysqld.err" "${RUN_AS[@]}" \
    --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=0 --skip-log-bin \
    >"$WORK/mysqld.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
    [[ -S "$DB_SOCKET" ]] && mariadb --no-defaults -S "$DB_SOCKET" -u root -e 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.2
done
mariadb --no-defaults -S "$DB_SOCKET" -u root -e 'SELECT 1' >/dev/null \
    || { cat "$WORK/mysqld.err" >&2; exit 1; }
mariadb --no-defaults -S "$DB_SOCKET" -u root <<'SQL'
CREATE DATABASE blogcorpus_wp CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER 'blogcorpus'@'localhost' IDENTIFIED BY 'blogcorpus';
GRANT ALL PRIVILEGES ON blogcorpus_wp.* TO 'blogcorpus'@'localhost';
SQL
log "MariaDB up on $DB_SOCKET ($((SECONDS - step)) s)"

# --- 3. a throwaway WordPress root and PHP's built-in server ------------------------------------
step=$SECONDS
# Debian's wp-config.php insists on /etc/wordpress/config-<host>.php. Instead, the root is a tree
# of symlinks to Debian's files with our own wp-config.php and a private wp-content; the router
# defines ABSPATH so WordPress reads that config. Nothing under /etc or /var is touched.
ROOT="$WORK/wordpress"
mkdir -p "$ROOT/wp-content/themes" "$ROOT/wp-content/plugins" "$ROOT/wp-content/mu-plugins" \
    "$ROOT/wp-content/uploads"
for entry in /usr/share/wordpress/*; do
    name="$(basename "$entry")"
    [[ "$name" == wp-config.php || "$name" == wp-content ]] && continue
    ln -s "$entry" "$ROOT/$name"
done
for theme in twentytwentyone twentytwentythree; do
    ln -s "/usr/share/wordpress/wp-content/themes/$theme" "$ROOT/wp-content/themes/$theme"
done
cp "$HERE/wp-config.php" "$ROOT/wp-config.php"
cp "$HERE/html-only.php" "$ROOT/wp-content/mu-plugins/html-only.php"

PORT="$("$REPO/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export BLOGCORPUS_WP_URL="http://127.0.0.1:$PORT"
export BLOGCORPUS_WP_ROOT="$ROOT"
export BLOGCORPUS_WP_DB_SOCKET="$DB_SOCKET"
export BLOGCORPUS_WP_DB_NAME=blogcorpus_wp BLOGCORPUS_WP_DB_USER=blogcorpus BLOGCORPUS_WP_DB_PASSWORD=blogcorpus
export BLOGCORPUS_WP_PHP="php -d memory_limit=1G -d display_errors=stderr"
export BLOGCORPUS_WP_SCRIPTS="$HERE"
export BLOGCORPUS_WP_WORK="$WORK"

# Several workers, so a crawler fetching four pages at a time is not served one by one.
PHP_CLI_SERVER_WORKERS=4 setsid php -d display_errors=0 -d log_errors=1 -d error_log="$WORK/php-errors.log" \
    -S "127.0.0.1:$PORT" -t "$ROOT" "$HERE/router.php" >"$WORK/php-server.log" 2>&1 &
PIDS+=($!)
log "WordPress root $ROOT served at $BLOGCORPUS_WP_URL ($((SECONDS - step)) s)"

# --- 4. seed and dump the truth -----------------------------------------------------------------
step=$SECONDS
$BLOGCORPUS_WP_PHP "$HERE/seed.php"
log "seeded ($((SECONDS - step)) s)"

for _ in $(seq 50); do
    curl -fsS -o /dev/null "$BLOGCORPUS_WP_URL/" 2>/dev/null && break
    sleep 0.2
done
curl -fsS -o /dev/null "$BLOGCORPUS_WP_URL/" || { cat "$WORK/php-server.log" >&2; exit 1; }

step=$SECONDS
export BLOGCORPUS_WP_TRUTH="$WORK/truth-classic.json"
$BLOGCORPUS_WP_PHP "$HERE/dump_truth.php" >"$BLOGCORPUS_WP_TRUTH"
log "truth dumped to $BLOGCORPUS_WP_TRUTH ($((SECONDS - step)) s)"

if [[ "${BLOGCORPUS_WP_SERVE_ONLY:-}" == 1 ]]; then
    log "serving $BLOGCORPUS_WP_URL until interrupted (work dir $WORK)"
    wait "${PIDS[-1]}"
    exit 0
fi

# --- 5. crawl and compare -----------------------------------------------------------------------
step=$SECONDS
rc=0
"$REPO/.venv/bin/python" -m pytest "$HERE" -m wordpress -q -p no:cacheprovider || rc=$?
log "pytest finished with $rc ($((SECONDS - step)) s); tier total $((SECONDS - TIER_START)) s"
exit "$rc"
