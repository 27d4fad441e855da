#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine, as root:
# the Debian packages (only the missing ones), the pinned Dear ImGui and
# cpp-httplib sources (from Debian's source archive, into the ignored
# third_party/) and the npm test tooling (from package-lock.json). Safe to
# run again: it does nothing twice.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# Both come from the trixie suite's Sources (Debian 13).
SOURCE_SUITE=trixie
IMGUI_VERSION=1.90.1+ds-1
# Debian 13's cpp-httplib with its security patches (bounded chunked bodies,
# header counts and line lengths); bookworm's 0.11.4 bounds none of them.
HTTPLIB_VERSION=0.18.7-1+deb13u1

PACKAGES=(
  build-essential dpkg-dev cmake ninja-build ccache pkg-config git python3
  emscripten
  libssl-dev zlib1g-dev libbrotli-dev libzstd-dev openssl
  nlohmann-json3-dev libmysqlcppconn-dev catch2
  libcurl4-openssl-dev libkainjow-mustache-dev libsodium-dev
  libspdlog-dev libcli11-dev libxxhash-dev
  mariadb-server mariadb-client
  postfix python3-aiosmtpd dovecot-imapd libgmime-3.0-dev
  chromium fonts-dejavu-core fonttools brotli
  hyperfine wrk clang-format haproxy
)

log() { printf '[setup] %s\n' "$*"; }

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  # postfix would otherwise ask how to configure itself; we only want its test tools.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Services must not start on install: the project runs its own private instances.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  rm -f /usr/sbin/policy-rc.d
fi

# The deb-src entry for Debian's source archive reuses the machine's own
# Debian archive address and key (never written into the repo).
add_source_archive() {
  # (named after its first user, Dear ImGui)
  local srcfile=/etc/apt/sources.list.d/invites-imgui-src.sources
  [[ -f $srcfile ]] && return
  local uri key
  uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources)
  key=$(awk '/^Signed-By:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources)
  if [[ -z $uri ]]; then
    uri=$(awk '$1=="deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
    key=/usr/share/keyrings/debian-archive-keyring.gpg
  fi
  [[ -n $uri ]] || { echo "setup: cannot find the Debian archive in the apt configuration" >&2; exit 1; }
  printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
    "$uri" "$SOURCE_SUITE" "$key" > "$srcfile"
  apt-get update -qq
}

# Dear ImGui sources: Debian's binary package has no .cpp files, so take the
# upstream tarball from Debian's source archive.
IMGUI_DIR=$ROOT/third_party/imgui
if [[ ! -f $IMGUI_DIR/imgui.cpp ]]; then
  add_source_archive
  tmp=$(mktemp -d) && chmod 755 "$tmp"  # apt downloads as the _apt user
  (cd "$tmp" && apt-get source --download-only -qq "imgui=$IMGUI_VERSION")
  mkdir -p "$IMGUI_DIR"
  tar -xf "$tmp"/imgui_*.orig.tar.* -C "$IMGUI_DIR" --strip-components=1
  rm -rf "$tmp"
  [[ -f $IMGUI_DIR/imgui.cpp ]] || { echo "setup: imgui sources did not unpack" >&2; exit 1; }
  log "Dear ImGui $IMGUI_VERSION unpacked into third_party/imgui"
fi

# cpp-httplib: the source package unpacked with Debian's patches applied
# (dpkg-source), built by backend/cmake/httplib.cmake. The marker names the
# version, so a pin change fetches again.
HTTPLIB_DIR=$ROOT/third_party/cpp-httplib
if [[ ! -f $HTTPLIB_DIR/.debian-version ]] || [[ $(cat "$HTTPLIB_DIR/.debian-version") != "$HTTPLIB_VERSION" ]]; then
  add_source_archive
  tmp=$(mktemp -d) && chmod 755 "$tmp"
  (cd "$tmp" && apt-get source -qq "cpp-httplib=$HTTPLIB_VERSION" >/dev/null)
  rm -rf "$HTTPLIB_DIR"
  mv "$tmp/cpp-httplib-${HTTPLIB_VERSION%%-*}" "$HTTPLIB_DIR"
  rm -rf "$tmp"
  [[ -f $HTTPLIB_DIR/httplib.h ]] || { echo "setup: cpp-httplib sources did not unpack" >&2; exit 1; }
  echo "$HTTPLIB_VERSION" > "$HTTPLIB_DIR/.debian-version"
  log "cpp-httplib $HTTPLIB_VERSION unpacked into third_party/cpp-httplib"
fi

# npm test tooling (Playwright driving Debian's Chromium; no browser download).
# npm writes node_modules/.package-lock.json at the end of a complete install:
# without it (an interrupted or emptied install) or when older than the lock
# file, install again.
installed_lock=node_modules/.package-lock.json
if [[ -f package-lock.json ]] && [[ ! -f $installed_lock || package-lock.json -nt $installed_lock ]]; then
  log "installing npm test tooling"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  touch "$installed_lock"
fi
log "ready"
