package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kycgate/kycgate/liveness"
)

func runLiveness(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("liveness", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ff := newFaceFlags(fs)
	actions := fs.String("challenge", "", "the actions asked, in order: blink,turn_left,turn_right,nod,open_mouth")
	fps := fs.Float64("fps", 0, "frame rate when there is no timestamps file")
	stamps := fs.String("timestamps", "", "JSON file: an array of capture times in ms, one per frame (default: timestamps.json beside the frames, else --fps)")
	sidecar := fs.String("sidecar", "", `JSON file {"frames":[{"file":…,"timestamp_ms":…}]} naming the frames and their times (instead of FRAME arguments)`)
	if err := fs.Parse(args); err != nil {
		return &exitError{code: 2}
	}
	paths := fs.Args()
	var times []int64
	if *sidecar != "" {
		var err error
		if paths, times, err = liveness.ReadSidecar(*sidecar); err != nil {
			return usageError("%v", err)
		}
	}
	if *actions == "" || len(paths) == 0 {
		return usageError("usage: kycgate liveness [--json] --challenge blink,turn_left [--timestamps FILE | --fps N | --sidecar FILE] FRAME...")
	}
	acts, err := liveness.ParseActions(*actions)
	if err != nil {
		return usageError("%v", err)
	}
	if times == nil {
		if times, err = frameTimes(paths, *stamps, *fps); err != nil {
			return usageError("%v", err)
		}
	}
	models, err := ff.load()
	if err != nil {
		return err
	}
	frames := make([]liveness.Frame, 0, len(paths))
	for i, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		img, err := decodeFile(path)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("%s: %w", path, err)}
		}
		frames = append(frames, liveness.Frame{Image: img, Data: data, TimestampMS: times[i]})
	}
	now := time.Now()
	ch := liveness.Challenge{ID: "cli", Actions: acts, IssuedAt: now, ExpiresAt: now.Add(time.Hour)}
	v := liveness.NewVerifier(liveness.FaceModels{Models: models}, nil)
	res, err := v.Verify(ctx, ch, frames, now)
	if err != nil {
		return err
	}
	req := &http.Request{Header: http.Header{"Accept-Language": {*ff.lang}}}
	r := faceResult{File: filepath.Dir(paths[0]), OK: res.Passed, Findings: httpapiFindings(res.Findings, req), Metrics: res.Metrics}
	if *ff.asJSON {
		out := struct {
			faceResult
			Actions []liveness.ActionResult `json:"actions"`
		}{r, res.Actions}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		emit(stdout, false, r)
		for _, a := range res.Actions {
			fmt.Fprintf(stdout, "  %s: %s (%d ms)\n", a.Action, a.Status, a.DurationMS)
		}
	}
	return outcome([]faceResult{r})
}

// frameTimes returns each frame's capture time in ms: from the timestamps
// file, from timestamps.json beside the frames, or from a fixed frame rate.
func frameTimes(frames []string, file string, fps float64) ([]int64, error) {
	if file == "" && fps == 0 {
		if p := filepath.Join(filepath.Dir(frames[0]), "timestamps.json"); fileExists(p) {
			file = p
		}
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var ts []int64
		dec := json.NewDecoder(strings.NewReader(string(b)))
		if err := dec.Decode(&ts); err != nil {
			return nil, fmt.Errorf("%s: want a JSON array of milliseconds: %w", file, err)
		}
		if len(ts) != len(frames) {
			return nil, fmt.Errorf("%s has %d timestamps for %d frames", file, len(ts), len(frames))
		}
		return ts, nil
	}
	if fps <= 0 {
		return nil, fmt.Errorf("give --timestamps FILE or --fps N")
	}
	ts := make([]int64, len(frames))
	for i := range ts {
		ts[i] = int64(float64(i) * 1000 / fps)
	}
	return ts, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
