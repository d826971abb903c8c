# shellcheck shell=bash
# A local PostgreSQL with pgvector for the stack and the tests, sourced by bin/spillway.
#
# The server runs from the machine's PostgreSQL binaries, with its data under target/postgres
# (so a clean checkout starts empty and `rm -rf target` resets it). PostgreSQL refuses to run as
# root, so as root the server runs as the `postgres` system user on a data directory that user
# owns. pgvector is built from Debian's own source package when the extension is missing: the
# binary package is not in every Debian release, the source builds in seconds on 12 and 13 alike.
#
# Needs say, die and apt_install from bin/spillway.

PG_DIR="$ROOT/target/postgres"
PG_PORT=${SPILLWAY_PG_PORT:-5432}
PG_USER=spillway
PG_PASSWORD=spillway
PG_DATABASES=(spillway spillway_test)

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$dir" ] && echo "$dir"
}

# Runs a command as the user that owns the server: postgres when we are root, else ourselves.
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ensure_postgres_server() {
  if [ -z "$(pg_bindir)" ]; then
    apt_install postgresql
  fi
  [ -n "$(pg_bindir)" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql"
}

ensure_pgvector() {
  local bindir version sharedir
  bindir=$(pg_bindir)
  version=$(basename "$(dirname "$bindir")")
  if [ -x "$bindir/pg_config" ]; then
    sharedir=$("$bindir/pg_config" --sharedir)
  else
    sharedir=/usr/share/postgresql/$version
  fi
  if [ -f "$sharedir/extension/vector.control" ]; then
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "pgvector is missing for PostgreSQL $version; run this once as root to build it"
  say "pgvector is missing for PostgreSQL $version: building it from Debian's source package"
  local src_list=/etc/apt/sources.list.d/spillway-trixie-src.sources
  if [ ! -f "$src_list" ]; then
    cat >"$src_list" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    unset SPILLWAY_APT_UPDATED
  fi
  apt_install "postgresql-server-dev-$version" build-essential dpkg-dev
  local build="$ROOT/target/pgvector-build"
  rm -rf "$build" && mkdir -p "$build"
  (cd "$build" && apt-get source --download-only -qq pgvector >/dev/null 2>&1) ||
    die "could not download pgvector's source package (apt-get source pgvector)"
  local orig
  orig=$(ls "$build"/pgvector_*.orig.tar.* | head -1)
  [ -n "$orig" ] || die "pgvector's source package has no .orig tarball in $build"
  tar -xf "$orig" -C "$build"
  local srcdir
  srcdir=$(find "$build" -maxdepth 1 -mindepth 1 -type d | head -1)
  say "compiling pgvector ($(basename "$srcdir"))"
  (cd "$srcdir" && make -s PG_CONFIG="/usr/lib/postgresql/$version/bin/pg_config" >/dev/null &&
    make -s PG_CONFIG="/usr/lib/postgresql/$version/bin/pg_config" install >/dev/null) ||
    die "building pgvector failed (sources in $srcdir)"
  [ -f "$sharedir/extension/vector.control" ] || die "pgvector built but $sharedir/extension/vector.control is missing"
}

pg_running() {
  [ -f "$PG_DIR/data/postmaster.pid" ] && as_pg_owner "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

psql_admin() { # sql...
  as_pg_owner "$(pg_bindir)/psql" -h "$PG_DIR/run" -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

# Installs what is missing, then starts the server (if it is not running) and makes sure the
# role, the databases and the vector extension exist. Idempotent.
ensure_postgres() {
  ensure_postgres_server
  ensure_pgvector
  local bindir
  bindir=$(pg_bindir)
  mkdir -p "$PG_DIR/run"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_DIR" "$PG_DIR/run"
  fi
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    say "creating a PostgreSQL cluster in ${PG_DIR#"$ROOT"/}/data"
    as_pg_owner "$bindir/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 ||
      die "initdb failed (log: $PG_DIR/initdb.log)"
  fi
  if ! pg_running; then
    port_free "$PG_PORT" || die "port $PG_PORT is taken; stop what runs there or set SPILLWAY_PG_PORT"
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT (log: ${PG_DIR#"$ROOT"/}/server.log)"
    # Settings for a local test server: durability off (fsync) because the data is disposable,
    # enough connections for several functions and test runs at once.
    as_pg_owner "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR/run -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || die "PostgreSQL did not start (log: $PG_DIR/server.log)"
  fi
  if [ "$(psql_admin -c "select 1 from pg_roles where rolname = '$PG_USER'")" != 1 ]; then
    psql_admin -c "create role $PG_USER login password '$PG_PASSWORD'"
  fi
  local db
  for db in "${PG_DATABASES[@]}"; do
    if [ "$(psql_admin -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
      psql_admin -c "create database $db owner $PG_USER"
    fi
    # The extension needs a superuser to create; the functions' migrations then only use it.
    PGOPTIONS="-c client_min_messages=warning" as_pg_owner "$bindir/psql" -h "$PG_DIR/run" -p "$PG_PORT" -d "$db" -qAt -v ON_ERROR_STOP=1 \
      -c "create extension if not exists vector" >/dev/null
  done
  export SPILLWAY_DB_URL="postgresql://127.0.0.1:$PG_PORT"
  say "PostgreSQL $(basename "$(dirname "$bindir")") with pgvector is ready on 127.0.0.1:$PG_PORT (user $PG_USER, databases ${PG_DATABASES[*]})"
}

stop_postgres() {
  if pg_running; then
    say "stopping PostgreSQL"
    as_pg_owner "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
  fi
}
