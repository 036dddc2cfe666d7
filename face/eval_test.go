package face

import (
	"os"
	"testing"
)

// TestEvaluate runs the evaluation on the shared labelled images and
// guards its numbers at the measured level (docs/face.md), so that a change
// that loses detections or separates faces worse fails here.
func TestEvaluate(t *testing.T) {
	m := testModels(t)
	rep, err := Evaluate(os.Stdout, sharedTestdata(t), m, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want float64
		atLeast   bool
	}{
		{"detection recall", rep.Detection.Recall(), 0.875, true},
		{"detection false positives", float64(rep.Detection.FalsePositives), 3, false},
		{"detections on no-face images", float64(rep.Detection.NoFaceFalse), 0, false},
		{"detection recall, cascade then CNN", rep.DetectionWithCNN.Recall(), 0.95, true},
		{"detection false positives, cascade then CNN", float64(rep.DetectionWithCNN.FalsePositives), 3, false},
		{"detections on no-face images, cascade then CNN", float64(rep.DetectionWithCNN.NoFaceFalse), 1, false},
		{"pairs not analysable", float64(rep.Pairs.Failed), 0, false},
		{"TAR@FAR1% licensed pairs", rep.PairsLicensed.TAR1, 0.99, true},
		{"EER licensed pairs", rep.PairsLicensed.EER, 0.01, false},
		// The target: TAR >= 95% at FAR 1% on the shared pairs,
		// K-pop look-alikes included (measured 0.960, EER 0.020).
		{"TAR@FAR1% all pairs", rep.Pairs.TAR1, 0.96, true},
		{"EER all pairs", rep.Pairs.EER, 0.025, false},
		{"TAR@FAR1% exhaustive", rep.Exhaustive.TAR1, 0.99, true},
		{"TAR@FAR0.1% exhaustive", rep.Exhaustive.TAR01, 0.98, true},
		{"TAR@FAR0.1% exhaustive without go-face", rep.ExhaustiveLicensed.TAR01, 0.99, true},
		{"EER exhaustive", rep.Exhaustive.EER, 0.005, false},
		// The bands (docs/face.md): no impostor of the 2177 pairs, the
		// look-alikes included, is accepted; no genuine pair is rejected,
		// and most match without review.
		{"impostors in the match band, every two images", float64(rep.Exhaustive.ImpostorMatch), 0, false},
		{"genuine pairs in the mismatch band", float64(rep.Pairs.GenuineMismatch), 0, false},
		{"genuine pairs sent to review", float64(rep.Pairs.GenuineReview), 10, false},
		// Document vs selfie (synthetic documents, real faces): every
		// portrait found, the holders never rejected, nobody else accepted.
		{"documents without a portrait found", float64(rep.DocumentsNotFound), 0, false},
		{"TAR@FAR1% document photo", rep.DocumentPhoto.TAR1, 0.99, true},
		{"EER document photo", rep.DocumentPhoto.EER, 0.01, false},
		{"TAR@FAR1% document zone", rep.DocumentZone.TAR1, 0.99, true},
		{"holders rejected, document photo", float64(rep.DocumentPhoto.GenuineMismatch), 0, false},
		{"impostors accepted, document photo", float64(rep.DocumentPhoto.ImpostorMatch), 0, false},
		{"holders rejected, document zone", float64(rep.DocumentZone.GenuineMismatch), 0, false},
		{"impostors accepted, document zone", float64(rep.DocumentZone.ImpostorMatch), 0, false},
		{"document pairs not analysable", float64(rep.DocumentPhoto.Failed + rep.DocumentZone.Failed), 0, false},
	}
	// The pairs with the second photo darkened, reduced or recompressed:
	// TAR at the measured level (0.950, 0.911, 0.950), no impostor
	// accepted (the small-face rule sends the reduced look-alike at 0.961
	// to review), no holder rejected.
	floors := map[string]float64{
		"darkened to 0.4× with sensor noise": 0.95,
		"reduced to 200 px":                  0.91,
		"saved at JPEG quality 20":           0.95,
		"contrasty tone curve (gamma 1.5)":   0.96,
	}
	// Under the contrasty curve the closest look-alike impostor
	// (chaeyeon–tzuyu2: 1.022 as delivered) falls in the match band at
	// 0.983; normalising the chips' tone did not move it out
	// (docs/face.md, "Contrasty photos"). Measured, not yet fixed.
	impostorsMatched := map[string]float64{"contrasty tone curve (gamma 1.5)": 1}
	for _, v := range captureVariants {
		r, measured := rep.PairVariants[v.Name]
		if _, ok := floors[v.Name]; !ok || !measured {
			t.Fatalf("capture variant %q: no floor or no report", v.Name)
		}
		checks = append(checks, []struct {
			name      string
			got, want float64
			atLeast   bool
		}{
			{"TAR@FAR1% all pairs, " + v.Name, r.TAR1, floors[v.Name], true},
			{"impostors in the match band, " + v.Name, float64(r.ImpostorMatch), impostorsMatched[v.Name], false},
			{"genuine pairs in the mismatch band, " + v.Name, float64(r.GenuineMismatch), 0, false},
		}...)
	}
	for _, c := range checks {
		if c.atLeast && c.got < c.want || !c.atLeast && c.got > c.want {
			t.Errorf("%s = %.3f, want %s %.3f", c.name, c.got, map[bool]string{true: ">=", false: "<="}[c.atLeast], c.want)
		}
	}
}

func TestTARAtFARAndEER(t *testing.T) {
	genuine := []float64{0.1, 0.2, 0.3, 0.7}
	impostor := []float64{0.25, 0.8, 0.9, 1.0}
	tests := []struct {
		far     float64
		wantTAR float64
		wantThr float64
	}{
		{0.0, 0.5, 0.25}, // nothing below 0.25 may pass: 0.1, 0.2
		{0.25, 1.0, 0.8},
		{1.0, 1.0, 0},
	}
	for _, tc := range tests {
		tar, thr := TARAtFAR(genuine, impostor, tc.far)
		if tar != tc.wantTAR || (tc.far < 1 && thr != tc.wantThr) {
			t.Errorf("TARAtFAR(%v) = %v, %v; want %v, %v", tc.far, tar, thr, tc.wantTAR, tc.wantThr)
		}
	}
	eer, _ := EER(genuine, impostor)
	if eer != 0.25 {
		t.Errorf("EER = %v, want 0.25", eer)
	}
}
