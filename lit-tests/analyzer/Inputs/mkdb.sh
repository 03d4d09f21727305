#!/bin/sh
# mkdb.sh DIR "FLAGS" SOURCE[:TARGET[:MORE,FLAGS]]... : writes
# DIR/compile_commands.json with one entry per SOURCE (absolute paths),
# compiled with FLAGS (C++20 for .cpp, gnu11 for .c) and the entry's own
# comma-separated MORE flags; with a TARGET, its object file goes where CMake
# puts that target's (CMakeFiles/TARGET.dir/NAME.o). Used by the analyzer's
# lit tests.
set -e
dir=$1; flags=$2; shift 2
mkdir -p "$dir"
out="$dir/compile_commands.json"
printf '[' > "$out"
sep=''
for pair in "$@"; do
  src=${pair%%:*}; target=${pair#"$src"}; target=${target#:}
  more=${target#*:}; [ "$more" = "$target" ] && more=''; target=${target%%:*}
  case "$src" in
    *.c) cc=clang; std=-std=gnu11 ;;
    *) cc=clang++; std=-std=c++20 ;;
  esac
  args="\"$cc\", \"$std\""
  for f in $flags $(echo "$more" | tr ',' ' '); do args="$args, \"$f\""; done
  if [ -n "$target" ]; then
    args="$args, \"-o\", \"CMakeFiles/$target.dir/$(basename "$src").o\""
  fi
  printf '%s\n{"directory": "%s", "file": "%s", "arguments": [%s, "-c", "%s"]}' \
    "$sep" "$dir" "$src" "$args" "$src" >> "$out"
  sep=','
done
printf ']\n' >> "$out"
