#!/bin/sh
# models.sh [DIR] — put the pretrained face weights kycgate needs into DIR
# (default ./models, the default of KYCGATE_MODELS_DIR).
#
# Two npm packages ship them, each with its sums file beside the face code:
#   - @vladmandic/face-api@1.7.15 (MIT): face-api.js's 68-point landmark
#     net, TinyFaceDetector and SsdMobilenetv1 (face/models.sha256);
#   - faceplugin-face-recognition-js@0.0.1 (MIT): the ArcFace-style face
#     embedding and the eye-state net, ONNX files (face/faceplugin.sha256).
# Each tarball and every extracted file are checked against the recorded
# SHA-256 sums, so a changed or tampered package is refused. Only the weight
# files are kept. Idempotent: when every file is already present with the
# right sum, nothing is downloaded.
set -eu

HERE=$(cd "$(dirname "$0")/.." && pwd)
DIR=${1:-./models}

command -v sha256sum >/dev/null || { echo "models.sh: sha256sum is required" >&2; exit 1; }

# install PKG TARBALL SUMS installs the weight files listed in SUMS (every
# line but the tarball's) from the npm package PKG.
install() {
	pkg=$1 tarball=$2 sums=$3
	[ -f "$sums" ] || { echo "models.sh: missing $sums" >&2; exit 1; }
	expected() { awk -v n="$1" '$2 == n { print $1 }' "$sums"; }
	weights=$(awk -v t="$tarball" '$2 != t { print $2 }' "$sums")

	all_present=1
	for f in $weights; do
		if [ ! -f "$DIR/$f" ] || [ "$(sha256sum "$DIR/$f" | cut -d' ' -f1)" != "$(expected "$f")" ]; then
			all_present=0
		fi
	done
	if [ "$all_present" = 1 ]; then
		echo "models.sh: $pkg weights already present and verified in $DIR"
		return 0
	fi

	command -v npm >/dev/null || { echo "models.sh: npm is required to fetch $pkg" >&2; exit 1; }
	tmp=$(mktemp -d)
	(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
	got=$(sha256sum "$tmp/$tarball" | cut -d' ' -f1)
	if [ "$got" != "$(expected "$tarball")" ]; then
		echo "models.sh: $tarball has SHA-256 $got, expected $(expected "$tarball"); refusing it" >&2
		rm -rf "$tmp"
		exit 1
	fi
	members=""
	for f in $weights; do members="$members package/model/$f"; done
	# shellcheck disable=SC2086
	tar -xzf "$tmp/$tarball" -C "$tmp" $members

	mkdir -p "$DIR"
	for f in $weights; do
		got=$(sha256sum "$tmp/package/model/$f" | cut -d' ' -f1)
		if [ "$got" != "$(expected "$f")" ]; then
			echo "models.sh: $f has SHA-256 $got, expected $(expected "$f"); refusing it" >&2
			rm -rf "$tmp"
			exit 1
		fi
		cp "$tmp/package/model/$f" "$DIR/$f.tmp"
		mv "$DIR/$f.tmp" "$DIR/$f"
	done
	rm -rf "$tmp"
	echo "models.sh: installed $(echo $weights | wc -w) verified weight files of $pkg into $DIR"
}

install "@vladmandic/face-api@1.7.15" vladmandic-face-api-1.7.15.tgz "$HERE/face/models.sha256"
install "faceplugin-face-recognition-js@0.0.1" faceplugin-face-recognition-js-0.0.1.tgz "$HERE/face/faceplugin.sha256"
