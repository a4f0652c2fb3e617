#!/usr/bin/env bash
# System packages the test suites need: Debian's Chromium (browser tests, driven by Playwright for Python)
# and a Java runtime (the Nu Html Checker, vnu.jar from npm). Node/npm install axe-core and vnu-jar.
# Idempotent and quiet; does nothing when everything is already installed, so local runs stay fast.
# The browser is never downloaded by Playwright (`playwright install` is not used).
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
# Fonts, so screenshots and layout checks render real glyphs (Latin, Arabic, Hebrew, emoji).
fc-list 2>/dev/null | grep -qi "dejavu" || need+=(fonts-dejavu-core)

if ((${#need[@]} == 0)); then
    exit 0
fi

echo "installing system packages: ${need[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
