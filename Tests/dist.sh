#!/usr/bin/env bash
# Checks that the release archive is self-contained (run by .ci/run after `make dist`): unpacked into a
# temporary folder, `ldd` resolves every library of the binary and of lib/ inside the archive or to glibc's
# own; with the system's libgit2 (and every other library the archive carries) hidden, `modelgate
# --version`, `init --example` and `validate` run; the archive's sha256 file verifies it; every relative
# link of its README and docs resolves inside it.
set -euo pipefail
cd "$(dirname "$0")/.."

archive=$(ls dist/modelgate-*-linux-"$(uname -m)".tar.gz)
(cd dist && sha256sum --check --strict "$(basename "$archive").sha256")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"
root=$(echo "$work"/modelgate-*)
failed=0

glibc='^(linux-vdso|ld-linux|libc|libm|libpthread|libdl|librt|libresolv|libutil|libanl|libnss_[a-z]*)\.so'
for file in "$root/bin/modelgate" "$root"/lib/*; do
  while read -r soname arrow path _; do
    [ "$arrow" = "=>" ] || continue
    if [[ "$soname" =~ $glibc ]]; then continue; fi
    case "$(readlink -f "$path")" in
      "$(readlink -f "$root/lib")"/*) ;;
      *) echo "FAIL: $(basename "$file") resolves $soname to $path, outside the archive"; failed=1 ;;
    esac
  done < <(ldd "$file")
  runpath=$(readelf -d "$file" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
  case "$runpath" in
    '$ORIGIN/../lib'|'$ORIGIN') ;;
    *) echo "FAIL: $(basename "$file") has RUNPATH '$runpath', not \$ORIGIN-relative"; failed=1 ;;
  esac
done
for required in share/man/man1/modelgate.1 share/bash-completion/completions/modelgate \
  share/zsh/site-functions/_modelgate share/fish/vendor_completions.d/modelgate.fish README.md LICENSE; do
  [ -s "$root/$required" ] || { echo "FAIL: the archive has no $required"; failed=1; }
done

# Every relative link of the archive's README and documents resolves inside the archive.
for document in "$root/README.md" "$root"/docs/*.md; do
  while read -r target; do
    [ -e "$(dirname "$document")/$target" ] || {
      echo "FAIL: ${document#"$root"/} links $target, which the archive does not ship"; failed=1
    }
  done < <(grep -o '](\([^)# ]*\)' "$document" | sed 's/^](//' | grep -v -e '^$' -e '^\[' -e ':' || true)
done

# Hide every system copy of the libraries the archive carries, then run it.
hide=()
for library in "$root"/lib/*; do
  for system in /lib/*-linux-gnu/"$(basename "$library")" /usr/lib/*-linux-gnu/"$(basename "$library")"; do
    [ -e "$system" ] && hide+=(--ro-bind /dev/null "$(readlink -f "$system")")
  done
done
[ ${#hide[@]} -gt 0 ] || { echo "FAIL: no system library to hide (is libgit2 installed?)"; failed=1; }
run() { bwrap --dev-bind / / "${hide[@]}" --chdir "$work" "$root/bin/modelgate" "$@"; }
run --version | grep -q . || { echo "FAIL: modelgate --version"; failed=1; }
run init example --example --quiet || { echo "FAIL: modelgate init --example"; failed=1; }
run validate --repo "$work/example" || { echo "FAIL: modelgate validate"; failed=1; }
# The hiding is real: the system's libgit2 cannot be loaded inside.
if bwrap --dev-bind / / "${hide[@]}" python3 -c 'import ctypes, ctypes.util, sys; ctypes.CDLL("libgit2.so.1.5")' 2>/dev/null; then
  echo "FAIL: the system libgit2 is still visible"; failed=1
fi
[ "$failed" -eq 0 ] && echo "the archive is self-contained: $(basename "$archive")"
exit "$failed"
