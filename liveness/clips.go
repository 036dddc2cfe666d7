package liveness

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/kycgate/kycgate/imageio"
)

// Clip is a labelled frame sequence from the shared test data.
type Clip struct {
	Name   string
	Frames []Frame
	// Labels are the labelled action intervals (inclusive frame indices).
	Labels []Label
}

// Label is one labelled action interval of a clip.
type Label struct {
	Action   string `json:"action"`
	Frames   []int  `json:"frames"`
	Extremes []int  // for turn_extremes: frames facing image-left
	Right    []int  // for turn_extremes: frames facing image-right
}

// LoadClip reads a clip's JSON (path relative to testdata) and its frames.
// Timestamps are the source's, in milliseconds from the first frame.
func LoadClip(testdata, rel string) (Clip, error) {
	raw, err := os.ReadFile(filepath.Join(testdata, rel))
	if err != nil {
		return Clip{}, fmt.Errorf("liveness: %w", err)
	}
	var meta struct {
		Clip   string `json:"clip"`
		Frames []struct {
			File      string  `json:"file"`
			Timestamp float64 `json:"timestamp_s"`
		} `json:"frames"`
		Actions []struct {
			Action string `json:"action"`
			Frames []int  `json:"frames"`
			Left   []int  `json:"nearest_kept_frames_image_left"`
			Right  []int  `json:"nearest_kept_frames_image_right"`
		} `json:"actions"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		return Clip{}, fmt.Errorf("liveness: %s: %w", rel, err)
	}
	c := Clip{Name: meta.Clip}
	dir := filepath.Join(testdata, filepath.Dir(rel), meta.Clip)
	var t0 float64
	for i, f := range meta.Frames {
		data, err := os.ReadFile(filepath.Join(dir, f.File))
		if err != nil {
			return Clip{}, fmt.Errorf("liveness: %w", err)
		}
		img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
		if err != nil {
			return Clip{}, fmt.Errorf("liveness: %s/%s: %w", meta.Clip, f.File, err)
		}
		if i == 0 {
			t0 = f.Timestamp
		}
		c.Frames = append(c.Frames, Frame{Image: img, Data: data, TimestampMS: int64(math.Round((f.Timestamp - t0) * 1000))})
	}
	for _, a := range meta.Actions {
		c.Labels = append(c.Labels, Label{Action: a.Action, Frames: a.Frames, Extremes: a.Left, Right: a.Right})
	}
	return c, nil
}

// LoadClipFrame reads one image file as a frame (timestamp 0).
func LoadClipFrame(p string) (Frame, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return Frame{}, fmt.Errorf("liveness: %w", err)
	}
	img, _, err := imageio.DecodeBytes(data, imageio.DefaultLimits())
	if err != nil {
		return Frame{}, fmt.Errorf("liveness: %s: %w", p, err)
	}
	return Frame{Image: img, Data: data}, nil
}
