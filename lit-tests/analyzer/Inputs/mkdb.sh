#!/bin/sh
# mkdb.sh DIR "FLAGS" SOURCE... : writes DIR/compile_commands.json with one
# entry per SOURCE (absolute paths), compiled with FLAGS (C++20 for .cpp,
# gnu11 for .c). Used by the analyzer's lit tests.
set -e
dir=$1; flags=$2; shift 2
mkdir -p "$dir"
out="$dir/compile_commands.json"
printf '[' > "$out"
sep=''
for src in "$@"; do
  case "$src" in
    *.c) cc=clang; std=-std=gnu11 ;;
    *) cc=clang++; std=-std=c++20 ;;
  esac
  args="\"$cc\", \"$std\""
  for f in $flags; do args="$args, \"$f\""; done
  printf '%s\n{"directory": "%s", "file": "%s", "arguments": [%s, "-c", "%s"]}' \
    "$sep" "$dir" "$src" "$args" "$src" >> "$out"
  sep=','
done
printf ']\n' >> "$out"
