#!/bin/sh
# Renders a lockgraph HTML report in headless Chromium (Debian `chromium`).
#
#   render-html.sh dom FILE.html[#fragment]
#       prints the DOM after the page's scripts ran
#   render-html.sh screenshot FILE.html[#fragment] OUT.png [WIDTH,HEIGHT]
#       writes a PNG of the window (default 1200,900)
#
# Chromium runs with a throw-away profile and its background services off;
# its own log is printed only when it fails.
set -eu

usage="usage: render-html.sh dom|screenshot FILE.html[#fragment] [OUT.png [W,H]]"
mode=${1:?$usage}
page=${2:?$usage}
case $page in
  /*) ;;
  *) page=$(pwd)/$page ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Chromium wants writable home and config dirs; lit does not pass HOME on.
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"

chrome() {
  if ! timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
      --no-first-run --no-default-browser-check --disable-background-networking \
      --disable-component-update --disable-sync --disable-extensions \
      --disable-default-apps --disable-crash-reporter --mute-audio --hide-scrollbars \
      --user-data-dir="$tmp/profile" --virtual-time-budget=5000 "$@" \
      2>"$tmp/chromium.log"; then
    echo "render-html.sh: chromium failed; its log:" >&2
    cat "$tmp/chromium.log" >&2
    exit 1
  fi
}

case $mode in
  dom)
    chrome --dump-dom "file://$page"
    ;;
  screenshot)
    out=${3:?$usage}
    case $out in
      /*) ;;
      *) out=$(pwd)/$out ;;
    esac
    rm -f "$out"
    chrome --window-size="${4:-1200,900}" --screenshot="$out" "file://$page" >/dev/null
    if [ ! -s "$out" ]; then
      echo "render-html.sh: no screenshot written to $out; chromium's log:" >&2
      cat "$tmp/chromium.log" >&2
      exit 1
    fi
    ;;
  *)
    echo "$usage" >&2
    exit 2
    ;;
esac
