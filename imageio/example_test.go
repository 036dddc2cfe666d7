package imageio_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/imageio"
)

func ExampleDecode() {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 640, 480)))

	img, format, err := imageio.Decode(&buf, imageio.DefaultLimits())
	fmt.Println(img.Bounds().Size(), format, err)

	// A HEIC file from an iPhone is recognised and refused with advice.
	heic := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
	_, _, err = imageio.Decode(bytes.NewReader(heic), imageio.DefaultLimits())
	fmt.Println(kycgate.ErrorCode(err))
	// Output:
	// (640,480) png <nil>
	// IMAGE_INVALID
}
