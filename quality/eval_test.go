package quality

import (
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kycgate/kycgate"
)

// TestEvaluate guards the evaluation figures. By default it runs a reduced
// set (n=2 per defect class, about 40 images); QUALITY_EVAL_N=20 runs the
// full evaluation reported in docs/quality.md.
func TestEvaluate(t *testing.T) {
	if testing.Short() {
		t.Skip("evaluation skipped in -short")
	}
	n := evalN()
	samples, err := cachedSet(n)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep := EvaluateSamples(&out, samples)
	t.Log("\n" + out.String())
	if testing.Verbose() {
		for _, m := range rep.Misses {
			t.Log("miss (end to end): " + m)
		}
		for _, m := range rep.Oracle.Misses {
			t.Log("miss (measures): " + m)
		}
	}
	// The measures themselves meet the targets of issue 3.
	for _, c := range []kycgate.ReasonCode{kycgate.ImageBlurry, kycgate.ImageGlare, kycgate.ImageOverexposed,
		kycgate.ImageUnderexposed, kycgate.ImageLowResolution} {
		st := rep.Oracle.Code(c)
		if st.Recall < 0.95 || math.IsNaN(st.Recall) {
			t.Errorf("measures: %s recall %.3f < 0.95", c, st.Recall)
		}
		if st.Precision < 0.95 {
			t.Errorf("measures: %s precision %.3f < 0.95", c, st.Precision)
		}
	}
	if rep.Oracle.FalseRejectRate > 0.03 {
		t.Errorf("measures: false-reject rate on clean photos %.3f > 0.03", rep.Oracle.FalseRejectRate)
	}
	// End to end, localisation errors add to the measures' own.
	for _, g := range endToEndFloors {
		st := rep.Code(g.code)
		f := g.reduced
		if n >= 12 {
			f = g.full
		}
		if st.Recall < f.recall {
			t.Errorf("end to end: %s recall %.3f < %.3f", g.code, st.Recall, f.recall)
		}
		if st.Precision < f.precision {
			t.Errorf("end to end: %s precision %.3f < %.3f", g.code, st.Precision, f.precision)
		}
	}
	maxFRR := 0.15 // one clean photo in seven at n=2
	if n >= 12 {
		maxFRR = 0.03 // the target; measured 0.000
	}
	if rep.FalseRejectRate > maxFRR {
		t.Errorf("end to end: false-reject rate %.3f > %.3f", rep.FalseRejectRate, maxFRR)
	}
}

// evalN is the number of photos per defect class: 2 by default,
// QUALITY_EVAL_N to change it.
func evalN() int {
	if v, err := strconv.Atoi(os.Getenv("QUALITY_EVAL_N")); err == nil && v > 0 {
		return v
	}
	return 2
}

// cachedSet shares the generated evaluation set between the tests of one
// run: rendering it is the slow part.
var cachedSet = func() func(n int) ([]Sample, error) {
	var mu sync.Mutex
	sets := map[int][]Sample{}
	return func(n int) ([]Sample, error) {
		mu.Lock()
		defer mu.Unlock()
		if s, ok := sets[n]; ok {
			return s, nil
		}
		s, err := EvaluationSet(n)
		if err == nil {
			sets[n] = s
		}
		return s, err
	}
}()

// endToEndFloors are the end-to-end floors for the default reduced set
// (n=2: one miss is 50 %) and for the full set (n ≥ 12). Measured at n=12
// (docs/quality.md): recall 1.000 for every code, precision 1.000 except
// DOCUMENT_CORNERS_MISSING 0.923 (a blown-out passport on a white and
// colour texture, whose washed-out side is taken for the frame edge).
var endToEndFloors = []struct {
	code          kycgate.ReasonCode
	reduced, full codeFloor
}{
	{kycgate.ImageBlurry, codeFloor{0.9, 0.9}, codeFloor{0.95, 0.95}},
	{kycgate.ImageGlare, codeFloor{0.5, 0.5}, codeFloor{0.95, 0.95}},
	{kycgate.ImageOverexposed, codeFloor{0.5, 0.5}, codeFloor{0.95, 0.95}},
	{kycgate.ImageUnderexposed, codeFloor{0.5, 0.5}, codeFloor{0.95, 0.95}},
	{kycgate.ImageLowResolution, codeFloor{0.5, 0.5}, codeFloor{0.95, 0.95}},
	{kycgate.DocumentCornersMissing, codeFloor{0.5, 0.6}, codeFloor{0.95, 0.9}},
}

// codeFloor is the lowest accepted recall and precision of one code.
type codeFloor struct{ recall, precision float64 }
