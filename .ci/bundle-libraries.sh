#!/usr/bin/env bash
# Makes ROOT/bin/modelgate self-contained: copies every shared library it needs beyond glibc's own into
# ROOT/lib and points the binary's RUNPATH at $ORIGIN/../lib and each library's at $ORIGIN. The release
# archive (.ci/dist.sh) and the wheel (.ci/wheel.sh) both lay the binary out this way.
set -euo pipefail

root=${1:?usage: bundle-libraries.sh ROOT (with ROOT/bin/modelgate)}
binary="$root/bin/modelgate"
mkdir -p "$root/lib"

# glibc's own libraries stay the system's: a copy of one would mismatch the system's libc.
glibc='^(linux-vdso|ld-linux|libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libnss_[a-z]*)\.so'
ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }' | while read -r soname path; do
  if [[ "$soname" =~ $glibc ]]; then continue; fi
  install -m 644 "$path" "$root/lib/$soname"
done
patchelf --set-rpath '$ORIGIN/../lib' "$binary"
for library in "$root"/lib/*; do patchelf --set-rpath '$ORIGIN' "$library"; done
