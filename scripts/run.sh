#!/usr/bin/env bash
# Runs the product on this machine: installs what is missing, builds the
# server and the web app, starts a private MariaDB (data in .run/mariadb),
# brings its schema up to date, writes demo data once, creates a demo staff
# user and serves the app on loopback. Invitations go to the Maildir
# .run/maildir unless INVITES_SMTP names an SMTP server.
# Environment: INVITES_LISTEN (default 127.0.0.1:8080), INVITES_DEMO_ACCOUNTS
# (size of the demo data set, default 10000), INVITES_SMTP (smtp://HOST:PORT)
# and the other INVITES_* variables of `invites-server serve --help`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs
# ccache hits across clones in different folders (CI clones anew each run).
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
jobs=$(nproc)

cmake --preset wasm >/dev/null
cmake --build --preset wasm -j "$jobs" --target web_bundle
cmake --preset native >/dev/null
cmake --build --preset native -j "$jobs" --target invites-server

db_url=$(bash scripts/mariadb-private.sh start .run/mariadb)
trap 'bash scripts/mariadb-private.sh stop .run/mariadb >/dev/null' EXIT
server=build/native/backend/invites-server
"$server" migrate --db "$db_url"
# Demo data once per database (the marker lives beside the data directory).
# (-2: data sets seeded before the default invitation template existed get it now.)
if [[ ! -f .run/mariadb/demo-seeded-2 ]]; then
  "$server" seed --db "$db_url" --accounts "${INVITES_DEMO_ACCOUNTS:-10000}" --replace
  touch .run/mariadb/demo-seeded-2
fi
demo_user=demo
demo_password=portal-demo
printf '%s\n' "$demo_password" | "$server" user add --db "$db_url" --username "$demo_user" --password-stdin --grant 390,120 >/dev/null

export INVITES_LISTEN=${INVITES_LISTEN:-127.0.0.1:8080}
echo
echo "Bulk Portal Invites: open http://$INVITES_LISTEN/ and sign in as $demo_user / $demo_password"
mail_args=()
if [[ -z ${INVITES_SMTP:-} ]]; then
  mail_args=(--maildir .run/maildir)
  echo "Invitations are delivered into the Maildir $PWD/.run/maildir/new (one file per message)"
else
  echo "Invitations are sent through $INVITES_SMTP"
fi
echo "(Ctrl+C stops the server and the database)"
"$server" serve --db "$db_url" --web-root build/web "${mail_args[@]}"
