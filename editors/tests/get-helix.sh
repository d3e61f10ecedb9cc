#!/usr/bin/env bash
# Installs Helix privately into DEST (default .tools/helix) for the end-to-end
# test. No Debian suite this machine uses ships Helix, but the next one
# (trixie) packages it as `hx`; we download that package and the matching C
# library with apt, into DEST only (the system's apt setup is not changed),
# unpack them, and write DEST/hx, which runs Helix with that C library.
set -euo pipefail
dest=$(mkdir -p "${1:-.tools/helix}" && cd "${1:-.tools/helix}" && pwd)
suite=${HELIX_SUITE:-trixie}

if [ ! -x "$dest/root/usr/lib/hx/hx" ]; then
  # The Debian mirror this machine already uses, from its apt sources.
  mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1 || true)
  if [ -z "$mirror" ]; then
    mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
  fi
  [ -n "$mirror" ] || { echo "get-helix: no Debian mirror configured in /etc/apt" >&2; exit 1; }
  mkdir -p "$dest/apt/lists/partial" "$dest/apt/cache/archives/partial" "$dest/apt/parts" "$dest/debs" "$dest/root"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" > "$dest/apt/sources.list"
  apt_private=(
    -o "Dir::Etc::SourceList=$dest/apt/sources.list"
    -o "Dir::Etc::SourceParts=$dest/apt/parts"
    -o "Dir::State::Lists=$dest/apt/lists"
    -o "Dir::Cache=$dest/apt/cache"
    -o "APT::Sandbox::User=root"
  )
  apt-get "${apt_private[@]}" update -qq
  (cd "$dest/debs" && apt-get "${apt_private[@]}" download -qq hx libc6 libgcc-s1)
  for deb in "$dest"/debs/*.deb; do
    dpkg-deb -x "$deb" "$dest/root"
  done
fi

libs=$dest/root/usr/lib/x86_64-linux-gnu
cat > "$dest/hx" <<WRAPPER
#!/bin/sh
export HELIX_RUNTIME="\${HELIX_RUNTIME:-$dest/root/usr/lib/hx/runtime}"
exec "$libs/ld-linux-x86-64.so.2" --library-path "$libs" "$dest/root/usr/lib/hx/hx" "\$@"
WRAPPER
chmod +x "$dest/hx"
"$dest/hx" --version
