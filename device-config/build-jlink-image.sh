#!/usr/bin/env bash
# Builds a slim Java runtime image for promptedged holding only the modules it needs.
#   ./mvnw -B -ntp -DskipTests package && device-config/build-jlink-image.sh [OUT_DIR]
# Prints the modules and the image size. Run it on the board's architecture (jlink links the
# JDK it runs from), or point JAVA_HOME at a JDK for the target.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/runtime/target/promptedge-jre}"
jars=("$root"/runtime/target/promptedge-runtime-*.jar)
if [ ! -f "${jars[0]}" ] || [ ! -d "$root/runtime/target/lib" ]; then
  echo "build-jlink-image: not built yet: run ./mvnw -B -ntp -DskipTests package in $root" >&2
  exit 1
fi
bin="${JAVA_HOME:+$JAVA_HOME/bin/}"
modules="$("${bin}jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps \
  "${jars[0]}" "$root"/runtime/target/lib/*.jar)"
# jdk.crypto.ec: Ed25519 for signed bundles (OTA); jdk.zipfs: reading jars' resources. Explicit
# so that a jdeps miss cannot break the daemon. (The API's HTTP server is the runtime's own.)
modules="$modules,jdk.crypto.ec,jdk.zipfs"
rm -rf "$out"
"${bin}jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --output "$out"
echo "modules: $modules"
echo "image: $out ($(du -sh "$out" | cut -f1))"
