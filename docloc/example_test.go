package docloc_test

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"

	"github.com/kycgate/kycgate/docloc"
)

// A light card with a portrait and lines of print on a dark table: Locate
// returns its corners clockwise from the top-left, and Rectify warps it
// upright for OCR.
func ExampleLocate() {
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	draw.Draw(img, img.Rect, image.NewUniform(color.RGBA{40, 40, 45, 255}), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(120, 100, 520, 352), image.NewUniform(color.RGBA{235, 235, 230, 255}), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(150, 140, 260, 280), image.NewUniform(color.RGBA{90, 80, 70, 255}), image.Point{}, draw.Src)
	ink := image.NewUniform(color.RGBA{30, 30, 40, 255})
	for y := 140; y < 320; y += 20 {
		for x := 280; x < 490; x += 45 {
			draw.Draw(img, image.Rect(x, y, x+35, y+8), ink, image.Point{}, draw.Src)
		}
	}
	res, err := docloc.Locate(img)
	if err != nil || !res.Found {
		fmt.Println("no document")
		return
	}
	for _, c := range res.Corners {
		fmt.Printf("(%.0f,%.0f) ", c[0], c[1])
	}
	fmt.Println(res.CornersInside)
	flat := docloc.Rectify(img, res.Corners, 428, 270)
	fmt.Println(flat.Bounds().Size())
	// Output:
	// (120,100) (520,100) (520,352) (120,352) true
	// (428,270)
}
