package docloc

import (
	"encoding/json"
	"fmt"
	"image"
	_ "image/jpeg"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/kycgate/kycgate/internal/testenv"
	"github.com/kycgate/kycgate/synth"
)

type sweepCase struct {
	img   image.Image
	truth [4][2]float64
	set   string
}

func sweepCases(t *testing.T, n int) []sweepCase {
	var cs []sweepCase
	for _, set := range []string{"clean", "cut", "negative"} {
		for i := 0; i < n; i++ {
			rng := rand.New(rand.NewSource(int64(len(set))*7919 + int64(i)*104729 + 5))
			cam := synth.RandomCamera(rng)
			if cam.Width > cam.Height {
				cam.Width, cam.Height = 1280, 960
			} else {
				cam.Width, cam.Height = 960, 1280
			}
			if set == "negative" {
				img, err := synth.PhotographEmpty(cam, rng)
				if err != nil {
					t.Fatal(err)
				}
				cs = append(cs, sweepCase{img: img, set: set})
				continue
			}
			kind := synth.Kinds[i%len(synth.Kinds)]
			doc, err := synth.Render(kind, synth.RandomIdentity(rng, kind), synth.Options{Back: rng.Intn(2) == 0})
			if err != nil {
				t.Skip(err)
			}
			if set == "cut" {
				cam.CutCorner = 1 + rng.Intn(4)
				cam.CutDepth = 0.02 + 0.13*rng.Float64()
			}
			img, c, err := synth.Photograph(doc.Image, cam, rng)
			if err != nil {
				t.Fatal(err)
			}
			cs = append(cs, sweepCase{img: img, truth: c, set: set})
		}
	}
	dir := filepath.Join(testenv.RepoRoot(t), "..", "shared", "testdata", "documents", "corners")
	data, err := os.ReadFile(filepath.Join(dir, "corners_ground_truth.json"))
	if err == nil {
		var gt struct {
			Items []struct {
				File    string       `json:"file"`
				Corners [][2]float64 `json:"corners_pixels_xy"`
				Notes   string       `json:"notes"`
			} `json:"items"`
		}
		json.Unmarshal(data, &gt)
		for _, it := range gt.Items {
			f, _ := os.Open(filepath.Join(dir, "..", "..", it.File))
			img, _, err := image.Decode(f)
			f.Close()
			if err != nil || it.File == "documents/corners/test_image_3.jpg" {
				continue
			}
			var c [4][2]float64
			copy(c[:], it.Corners)
			cs = append(cs, sweepCase{img: img, truth: c, set: "real"})
		}
	}
	return cs
}

func relErr(got, truth [4][2]float64) float64 {
	diag := math.Hypot(truth[2][0]-truth[0][0], truth[2][1]-truth[0][1])
	best := math.Inf(1)
	for s := 0; s < 4; s++ {
		for _, rev := range []bool{false, true} {
			sum := 0.0
			for i := 0; i < 4; i++ {
				j := (i + s) % 4
				if rev {
					j = (4 - i + s) % 4
				}
				sum += math.Hypot(got[j][0]-truth[i][0], got[j][1]-truth[i][1])
			}
			best = math.Min(best, sum/4/diag)
		}
	}
	return best
}

// TestSweep tries alternative scoring weights on generated and real photos
// (the weights in defaultScoring came from it):
// DOCLOC_SWEEP=40 go test ./docloc -run Sweep -v
func TestSweep(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DOCLOC_SWEEP"))
	if n == 0 {
		t.Skip("set DOCLOC_SWEEP=n")
	}
	cs := sweepCases(t, n)
	var settings []scoring
	for _, ae := range []float64{0.25, 0.4} {
		for _, ep := range []float64{0, 0.4, 0.6} {
			for _, bs := range []float64{0.6, 0.75} {
				for _, fd := range []float64{0.18, 0.25} {
					s := defaultScoring
					s.areaExponent, s.extensionPenalty, s.borderSupport, s.found = ae, ep, bs, fd
					settings = append(settings, s)
				}
			}
		}
	}
	for _, s := range settings {
		tune = s
		var clean, cleanOK, cut, cutOK, neg, negFP, real, realOK int
		var realErr float64
		for _, c := range cs {
			r, _ := Locate(c.img)
			switch c.set {
			case "clean":
				clean++
				if r.Found && relErr(r.Corners, c.truth) < 0.05 && r.CornersInside {
					cleanOK++
				}
			case "cut":
				cut++
				if r.Found && !r.CornersInside {
					cutOK++
				}
			case "negative":
				neg++
				if r.Found {
					negFP++
				}
			case "real":
				real++
				if r.Found {
					e := relErr(r.Corners, c.truth)
					realErr += math.Min(e, 0.2)
					if e < 0.05 {
						realOK++
					}
				} else {
					realErr += 0.2
				}
			}
		}
		fmt.Printf("ae=%.2f ep=%.1f bs=%.2f fd=%.2f  clean %d/%d cut %d/%d negFP %d/%d real %d/%d err %.2f%%\n",
			s.areaExponent, s.extensionPenalty, s.borderSupport, s.found, cleanOK, clean, cutOK, cut, negFP, neg, realOK, real, 100*realErr/float64(real))
	}
	tune = defaultScoring
}
