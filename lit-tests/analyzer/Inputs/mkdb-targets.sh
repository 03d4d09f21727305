#!/bin/sh
# mkdb-targets.sh DIR "FLAGS" SOURCE:TARGET... : as mkdb.sh, with each
# SOURCE's object file in CMake's place for TARGET
# (DIR/CMakeFiles/TARGET.dir/NAME.o), or no output when TARGET is empty.
set -e
dir=$1; flags=$2; shift 2
mkdir -p "$dir"
out="$dir/compile_commands.json"
printf '[' > "$out"
sep=''
for pair in "$@"; do
  src=${pair%%:*}; target=${pair#*:}
  args="\"clang\", \"-std=gnu11\""
  for f in $flags; do args="$args, \"$f\""; done
  if [ -n "$target" ]; then
    args="$args, \"-o\", \"CMakeFiles/$target.dir/$(basename "$src").o\""
  fi
  printf '%s\n{"directory": "%s", "file": "%s", "arguments": [%s, "-c", "%s"]}' \
    "$sep" "$dir" "$src" "$args" "$src" >> "$out"
  sep=','
done
printf '\n]\n' >> "$out"
