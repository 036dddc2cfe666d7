package prep_test

import (
	"fmt"
	"image"

	"github.com/kycgate/kycgate/ocr/prep"
)

// A 12-px text line is scaled ×3 so that Tesseract sees ~36-px text.
func ExampleForOCR() {
	line := image.NewRGBA(image.Rect(0, 0, 200, 16))
	g := prep.ForOCR(line, 12)
	fmt.Println(g.Bounds().Dx(), g.Bounds().Dy())
	// Output: 600 48
}
