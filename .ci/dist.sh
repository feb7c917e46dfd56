#!/usr/bin/env bash
# Builds dist/modelgate-<version>-linux-<arch>.tar.gz from the release binary and .build/share:
# bin/modelgate, lib/ with every shared library it needs beyond glibc's own (each found through a
# $ORIGIN-relative RUNPATH, on the binary and on every bundled library), share/ (man page, completions),
# README.md, LICENSE and docs/ (every document the README links). Byte-reproducible for the same inputs (sorted entries, fixed owner and times).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=${1:?usage: dist.sh BINARY VERSION}
version=${2:?usage: dist.sh BINARY VERSION}
arch=$(uname -m)
name="modelgate-$version-linux-$arch"
stage=".build/dist/$name"

rm -rf "$stage" && mkdir -p "$stage/bin" dist
install -m 755 "$binary" "$stage/bin/modelgate"
cp -R .build/share "$stage/share"
install -m 644 README.md LICENSE "$stage/"
cp -R docs "$stage/docs" && find "$stage/docs" -type f -exec chmod 644 {} + && find "$stage/docs" -type d -exec chmod 755 {} +

.ci/bundle-libraries.sh "$stage"

tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='@0' -C .build/dist -cf - "$name" | gzip -9n > "dist/$name.tar.gz"
(cd dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1)), glibc $(ldd --version | head -1 | awk '{print $NF}') or newer"
