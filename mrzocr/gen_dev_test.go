package mrzocr

import (
	"fmt"
	"image/png"
	"math/rand"
	"os"
	"testing"
)

func TestDevSaveGenerated(t *testing.T) {
	if os.Getenv("MRZ_SAVE") == "" {
		t.Skip()
	}
	rng := rand.New(rand.NewSource(1))
	// replicate evaluateGenerated("clean") rng consumption is not needed; just save photos
	for i := 0; i < 6; i++ {
		kind := []string{"passport", "id_card"}[i%2]
		_ = kind
		img, lines, err := generateOne(rng, i, degradations["photo"])
		if err != nil {
			t.Fatal(err)
		}
		f, _ := os.Create(fmt.Sprintf("/tmp/v/gen%d.png", i))
		png.Encode(f, img)
		f.Close()
		fmt.Println(i, lines)
	}
}
