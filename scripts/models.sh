#!/bin/sh
# models.sh [DIR] — put the pretrained face weights kycgate needs into DIR
# (default ./models, the default of KYCGATE_MODELS_DIR).
#
# The weights are the face-api.js networks shipped in the npm package
# @vladmandic/face-api@1.7.15 (MIT): the 68-point landmark net, the
# recognition net and the TinyFaceDetector; the files are those listed in
# face/models.sha256. The tarball and every extracted file are
# checked against the SHA-256 sums recorded in face/models.sha256, so a
# changed or tampered package is refused. Only the weight files are kept.
# Idempotent: when every file is already present with the right sum, nothing
# is downloaded.
set -eu

PKG="@vladmandic/face-api@1.7.15"
TARBALL="vladmandic-face-api-1.7.15.tgz"
HERE=$(cd "$(dirname "$0")/.." && pwd)
SUMS="$HERE/face/models.sha256"
DIR=${1:-./models}

[ -f "$SUMS" ] || { echo "models.sh: missing $SUMS" >&2; exit 1; }
command -v sha256sum >/dev/null || { echo "models.sh: sha256sum is required" >&2; exit 1; }

# expected NAME prints the recorded sum of NAME.
expected() { awk -v n="$1" '$2 == n { print $1 }' "$SUMS"; }

WEIGHTS=$(awk '$2 != "'"$TARBALL"'" { print $2 }' "$SUMS")

all_present=1
for f in $WEIGHTS; do
	if [ ! -f "$DIR/$f" ] || [ "$(sha256sum "$DIR/$f" | cut -d' ' -f1)" != "$(expected "$f")" ]; then
		all_present=0
	fi
done
if [ "$all_present" = 1 ]; then
	echo "models.sh: weights already present and verified in $DIR"
	exit 0
fi

command -v npm >/dev/null || { echo "models.sh: npm is required to fetch $PKG" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

(cd "$TMP" && npm pack --silent "$PKG" >/dev/null)
got=$(sha256sum "$TMP/$TARBALL" | cut -d' ' -f1)
if [ "$got" != "$(expected "$TARBALL")" ]; then
	echo "models.sh: $TARBALL has SHA-256 $got, expected $(expected "$TARBALL"); refusing it" >&2
	exit 1
fi

members=""
for f in $WEIGHTS; do members="$members package/model/$f"; done
# shellcheck disable=SC2086
tar -xzf "$TMP/$TARBALL" -C "$TMP" $members

mkdir -p "$DIR"
for f in $WEIGHTS; do
	got=$(sha256sum "$TMP/package/model/$f" | cut -d' ' -f1)
	if [ "$got" != "$(expected "$f")" ]; then
		echo "models.sh: $f has SHA-256 $got, expected $(expected "$f"); refusing it" >&2
		exit 1
	fi
	cp "$TMP/package/model/$f" "$DIR/$f.tmp"
	mv "$DIR/$f.tmp" "$DIR/$f"
done
echo "models.sh: installed $(echo $WEIGHTS | wc -w) verified weight files into $DIR"
