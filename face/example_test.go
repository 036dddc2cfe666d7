package face_test

import (
	"fmt"
	"image"
	_ "image/jpeg"
	"os"

	"github.com/kycgate/kycgate/face"
)

// Example compares a document portrait with a selfie. It needs the models
// (scripts/models.sh) and the shared test images, so it prints nothing
// checked by go test.
func Example() {
	models, err := face.Load(face.ModelsDir())
	if err != nil {
		fmt.Println(err) // names the missing file and scripts/models.sh
		return
	}
	open := func(path string) image.Image {
		f, err := os.Open(path)
		if err != nil {
			return nil
		}
		defer f.Close()
		img, _, _ := image.Decode(f)
		return img
	}
	portrait := open("../../shared/testdata/faces/face_recognition/obama.jpg")
	selfie := open("../../shared/testdata/faces/face_recognition/obama2.jpg")
	if portrait == nil || selfie == nil {
		return
	}
	res, err := models.Match(portrait, selfie)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("distance %.2f: %s\n", res.Distance, res.Band)
}

// ExampleDetect finds faces without the models: detection is pigo's
// cascade, built into the package.
func ExampleDetect() {
	img := image.NewRGBA(image.Rect(0, 0, 320, 240)) // a black frame
	fmt.Println(len(face.Detect(img)), "faces")
	// Output: 0 faces
}
