package docread

import (
	"image"

	"github.com/kycgate/kycgate/docloc"
)

// defaultLocator finds the document with docloc. A corner outside the
// frame still gives a usable quadrilateral (the cut-off part is sampled as
// the frame's edge pixels); the quality check reports the missing corner.
func defaultLocator(img image.Image) ([4][2]float64, bool, error) {
	res, err := docloc.Locate(img)
	if err != nil {
		return [4][2]float64{}, false, err
	}
	return res.Corners, res.Found, nil
}
