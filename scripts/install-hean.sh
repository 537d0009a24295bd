#!/usr/bin/env bash
# Puts `hean` on the PATH: packs src/Hean.Host as a .NET tool into ./.hean-tool and installs it for this user with
# `dotnet tool install --global` (into ~/.dotnet/tools). Run it again after a pull to replace it with what the repo has.
#   scripts/install-hean.sh            builds (Release) and installs
#   HEAN_INSTALL_NO_BUILD=1 ...         packs what the last Release build made
#   HEAN_TOOL_DIR=DIR ...               the package goes there instead of ./.hean-tool
set -euo pipefail
cd "$(dirname "$0")/.."
version="0.5.0-dev.$(date -u +%Y%m%d%H%M%S)"   # a new version each time: nothing stale from NuGet's cache
build=()
[ "${HEAN_INSTALL_NO_BUILD:-}" = "1" ] && build=(--no-build)
dir=${HEAN_TOOL_DIR:-.hean-tool}
rm -rf "$dir" && mkdir -p "$dir"
dotnet pack src/Hean.Host -c Release -o "$dir" -p:Version="$version" "${build[@]}" -nologo -v q > "$dir/pack.log" 2>&1 \
  || { cat "$dir/pack.log" >&2; echo "error: dotnet pack failed" >&2; exit 1; }
dotnet tool uninstall --global hean > /dev/null 2>&1 || true
dotnet tool install --global hean --add-source "$dir" --version "$version" > "$dir/install.log" 2>&1 \
  || { cat "$dir/install.log" >&2; echo "error: dotnet tool install failed" >&2; exit 1; }
echo "hean $version installed in $HOME/.dotnet/tools"
case ":$PATH:" in
  *":$HOME/.dotnet/tools:"*) ;;
  *) echo "put it on your PATH (and in your shell profile): export PATH=\"\$PATH:\$HOME/.dotnet/tools\"" ;;
esac
