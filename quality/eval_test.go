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
	// End to end, localisation errors add to the measures' own. Measured
	// (docs/quality.md, n=12): recall 1.000 for every IMAGE_* code and no
	// false reject; the floors allow one miss at the reduced set's
	// granularity (two photos per code at n=2), since docloc evolves
	// separately.
	for _, g := range endToEndFloors {
		st := rep.Code(g.code)
		if st.Recall < g.recall {
			t.Errorf("end to end: %s recall %.3f < %.3f", g.code, st.Recall, g.recall)
		}
	}
	if rep.FalseRejectRate > maxEndToEndFRR {
		t.Errorf("end to end: false-reject rate %.3f > %.3f", rep.FalseRejectRate, maxEndToEndFRR)
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

var endToEndFloors = []struct {
	code   kycgate.ReasonCode
	recall float64
}{
	{kycgate.ImageBlurry, 0.9},
	{kycgate.ImageGlare, 0.5},
	{kycgate.ImageOverexposed, 0.5},
	{kycgate.ImageUnderexposed, 0.5},
	{kycgate.ImageLowResolution, 0.5},
}

const maxEndToEndFRR = 0.15
