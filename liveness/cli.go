package liveness

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Sidecar is the JSON file that gives the capture time of each frame for
// `kycgate liveness`: {"frames": [{"file": "000.jpg", "timestamp_ms": 0}, …]}.
// Files are relative to the sidecar's folder. The shared test clips' own
// JSON ({"frames": [{"file": …, "timestamp_s": …}]}) is accepted too.
type Sidecar struct {
	Frames []SidecarFrame `json:"frames"`
}

// SidecarFrame is one frame of a Sidecar.
type SidecarFrame struct {
	File        string   `json:"file"`
	TimestampMS *int64   `json:"timestamp_ms,omitempty"`
	TimestampS  *float64 `json:"timestamp_s,omitempty"`
}

// ReadSidecar reads a sidecar and returns the frame paths (resolved against
// its folder) and their timestamps in milliseconds.
func ReadSidecar(path string) ([]string, []int64, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("liveness: %w", err)
	}
	var sc Sidecar
	if err := json.Unmarshal(raw, &sc); err != nil {
		return nil, nil, fmt.Errorf("liveness: %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	var files []string
	var ts []int64
	for i, f := range sc.Frames {
		switch {
		case f.TimestampMS != nil:
			ts = append(ts, *f.TimestampMS)
		case f.TimestampS != nil:
			ts = append(ts, int64(*f.TimestampS*1000+0.5))
		default:
			return nil, nil, fmt.Errorf("liveness: %s: frame %d has no timestamp_ms", path, i)
		}
		p := f.File
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		files = append(files, p)
	}
	return files, ts, nil
}

// TimestampsAtFPS returns n timestamps for frames captured at a steady
// rate (the CLI's --fps), starting at 0.
func TimestampsAtFPS(n int, fps float64) []int64 {
	ts := make([]int64, n)
	for i := range ts {
		ts[i] = int64(float64(i)*1000/fps + 0.5)
	}
	return ts
}

// LoadFrames reads and decodes the frame files in order with the given
// timestamps. An undecodable file becomes a frame without an image (it
// counts as a frame without a face) so one bad frame is reported, not
// fatal.
func LoadFrames(paths []string, timestampsMS []int64) ([]Frame, error) {
	if len(paths) != len(timestampsMS) {
		return nil, fmt.Errorf("liveness: %d frames but %d timestamps", len(paths), len(timestampsMS))
	}
	out := make([]Frame, len(paths))
	for i, p := range paths {
		f, err := LoadClipFrame(p)
		if err != nil {
			data, rerr := os.ReadFile(p)
			if rerr != nil {
				return nil, err
			}
			f = Frame{Data: data}
		}
		f.TimestampMS = timestampsMS[i]
		out[i] = f
	}
	return out, nil
}

// OfflineChallenge is the challenge the CLI checks frames against: the
// given actions, issued at now and unexpired, so only the frames are judged.
func OfflineChallenge(actions []Action, now time.Time) Challenge {
	return Challenge{ID: "offline", Actions: actions, IssuedAt: now, ExpiresAt: now.Add(DefaultTTL)}
}
