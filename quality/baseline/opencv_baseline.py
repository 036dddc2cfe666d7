#!/usr/bin/python3
"""Classic blur baseline: variance of the Laplacian (OpenCV).

For each image path given (or every .jpg/.png in a directory given), reads
the file with cv2.imread, converts it to greyscale, applies cv2.Laplacian
(CV_64F) and takes the variance — the widely copied "is this photo blurry"
recipe. Prints one JSON object per line: {"file", "lapvar", "ms", "cpu_ms"}:
wall and process CPU time of imread + grey + Laplacian + variance on one
thread (CPU time is what to compare on a shared machine).

The threshold is not applied here: the Go comparison (TestOpenCVBaseline in
quality/baseline_test.go) tunes it on the same labelled images, which
favours the baseline, and compares accuracy and time side by side.

Needs Debian's python3-opencv (run with /usr/bin/python3).
"""
import json
import os
import sys
import time

import cv2


def measure(path):
    t0, c0 = time.perf_counter(), time.process_time()
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        return None
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    lapvar = float(cv2.Laplacian(grey, cv2.CV_64F).var())
    return lapvar, (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def main(args):
    cv2.setNumThreads(1)  # one core, like the Go benchmarks
    paths = []
    for a in args:
        if os.path.isdir(a):
            paths += sorted(os.path.join(a, f) for f in os.listdir(a)
                            if f.lower().endswith((".jpg", ".jpeg", ".png")))
        else:
            paths.append(a)
    if not paths:
        print("usage: opencv_baseline.py IMAGE|DIR...", file=sys.stderr)
        return 2
    for p in paths:
        r = measure(p)
        if r is None:
            print(json.dumps({"file": p, "error": "unreadable"}))
            continue
        print(json.dumps({"file": p, "lapvar": r[0], "ms": r[1], "cpu_ms": r[2]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
