package logreg

import (
	"math"
	"testing"
)

// TestFitMatchesScikitLearn compares Fit with scikit-learn 1.2 on the same
// rows: LogisticRegression(C=c, class_weight="balanced", tol=1e-12) fitted
// on StandardScaler().fit_transform(x), its coef_ divided by the scaler's
// scale_ and its intercept_ less Σ coef_·mean_/scale_, as Fit folds them
// (computed once, Debian's python3-sklearn). The third feature is constant
// and must get no weight; 4 positives of 10 test the class weights.
func TestFitMatchesScikitLearn(t *testing.T) {
	x := [][]float32{{0.1, 2.0, 5}, {0.4, 1.5, 5}, {0.35, 1.9, 5}, {0.8, 0.3, 5}, {0.9, 0.2, 5},
		{0.7, 0.9, 5}, {0.6, 0.4, 5}, {0.2, 1.1, 5}, {0.5, 0.5, 5}, {0.3, 0.6, 5}}
	y := []bool{false, false, false, true, true, true, true, false, false, false}
	for _, tc := range []struct {
		c       float64
		weights []float64
		bias    float64
	}{
		{1, []float64{5.213429, -0.955196, 0}, -2.008158},
		{0.1, []float64{1.302955, -0.346494, 0}, -0.395105},
	} {
		m, err := Fit(x, y, tc.c)
		if err != nil {
			t.Fatal(err)
		}
		for j, w := range tc.weights {
			if math.Abs(m.Weights[j]-w) > 1e-4 {
				t.Errorf("C=%g: weight %d = %.6f, want %.6f", tc.c, j, m.Weights[j], w)
			}
		}
		if math.Abs(m.Bias-tc.bias) > 1e-4 {
			t.Errorf("C=%g: bias %.6f, want %.6f", tc.c, m.Bias, tc.bias)
		}
	}
}

func TestFitRejectsBadInput(t *testing.T) {
	for name, tc := range map[string]struct {
		x [][]float32
		y []bool
	}{
		"no rows":        {nil, nil},
		"labels missing": {[][]float32{{1}, {2}}, []bool{true}},
		"one class":      {[][]float32{{1}, {2}}, []bool{true, true}},
		"ragged rows":    {[][]float32{{1, 2}, {2}}, []bool{true, false}},
	} {
		if _, err := Fit(tc.x, tc.y, 1); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestScore(t *testing.T) {
	m := Model{Weights: []float64{2, -1}, Bias: 0.5}
	for _, tc := range []struct {
		x    []float32
		want float64
	}{
		{[]float32{0, 0}, 1 / (1 + math.Exp(-0.5))},
		{[]float32{1, 3}, 1 / (1 + math.Exp(0.5))},
	} {
		if got := m.Score(tc.x); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Score(%v) = %g, want %g", tc.x, got, tc.want)
		}
	}
}
