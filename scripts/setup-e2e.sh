#!/usr/bin/env bash
# Installs what the end-to-end suite (test/e2e) needs: a real VS Code — code-server 4.100.3, which
# is VS Code 1.100.3 (server + web workbench, Node extension host) — and Debian's Chromium, which
# playwright-core drives headless. Only the npm registry and Debian apt are used. Idempotent: a
# second call is a no-op. Everything lands in .e2e/ (gitignored).
#
# Why the manual steps: code-server's own postinstall refuses to run as root and lets
# @vscode/ripgrep download a binary from GitHub, which CI cannot reach. So we install with
# --ignore-scripts and do the postinstall by hand, pointing ripgrep at Debian's.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
HOST="$REPO/.e2e/vscode-host"
CS="$HOST/node_modules/code-server"

export DEBIAN_FRONTEND=noninteractive
need=()
for p in chromium ripgrep libkrb5-dev; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if ((${#need[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

if [ -f "$CS/lib/vscode/.e2e-ready" ]; then echo "setup-e2e: code-server already installed in $HOST"; exit 0; fi
mkdir -p "$HOST"
cp "$REPO/test/e2e/vscode-host/package.json" "$REPO/test/e2e/vscode-host/package-lock.json" "$HOST/"
cd "$HOST"
# 1) code-server itself, without its postinstall.
npm ci --no-audit --no-fund --ignore-scripts
npm rebuild argon2 || true                 # prebuilt download fails offline; a source build follows
# 2) code-server's postinstall, by hand.
cd "$CS/lib/vscode"
npm install --omit=dev --no-audit --no-fund --ignore-scripts
mkdir -p node_modules/@vscode/ripgrep/bin && ln -sfn /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
npm_config_yes=true npm rebuild            # native modules (kerberos, node-pty, spdlog...) for this Node
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --no-audit --no-fund)
touch .e2e-ready
XDG_CONFIG_HOME="$REPO/.e2e/xdg-config" "$HOST/node_modules/.bin/code-server" --version
