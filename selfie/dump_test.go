package selfie

import (
	"fmt"
	"os"
	"testing"
)

func TestDumpMetrics(t *testing.T) {
	if os.Getenv("SELFIE_DUMP") == "" {
		t.Skip("set SELFIE_DUMP=1 to print region metrics")
	}
	td := testdata(t)
	m := models(t)
	ss, err := LoadSamples(td, m)
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{"eye_ratio", "eye_skin", "eye_bright", "eye_grad", "lower_skin", "lower_chroma_dist", "lower_luma_ratio", "ref_skin", "forehead_skin", "forehead_chroma_dist", "forehead_edge", "face_luma", "background_luma"}
	fmt.Printf("%-50s %-40s", "name", "want")
	for _, k := range keys {
		fmt.Printf(" %6.6s", k)
	}
	fmt.Println()
	for _, s := range ss {
		r := Analyze(s.Image, m, DefaultConfig())
		n := s.Name
		if len(n) > 50 {
			n = n[len(n)-50:]
		}
		fmt.Printf("%-50s %-40.40s", n, fmt.Sprint(s.Want, s.Eyeglasses))
		for _, k := range keys {
			fmt.Printf(" %6.3f", r.Metrics[k])
		}
		fmt.Println()
	}
}
