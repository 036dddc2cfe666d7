package selfie_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"github.com/kycgate/kycgate/selfie"
)

func ExampleAnalyzeFile() {
	// A blank grey picture has no face in it.
	var buf bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 320, 240))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	_ = png.Encode(&buf, img)
	rep, err := selfie.AnalyzeFile(buf.Bytes(), nil)
	fmt.Println(rep.Codes(), err)
	// Output: [FACE_NOT_FOUND] <nil>
}
