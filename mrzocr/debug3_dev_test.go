package mrzocr

import (
	"fmt"
	"testing"
)

func TestDevTemplate(t *testing.T) {
	rec, _ := getRecogniser()
	for _, k := range []int{15, 36, 7} {
		v := rec.render(k, 0, 0, 1, 0, 1)
		for y := 0; y < frameH; y++ {
			for x := 0; x < frameW; x++ {
				c := " .:-=+*#%@"[int(v[y*frameW+x]*9.99)]
				fmt.Printf("%c", c)
			}
			fmt.Println()
		}
	}
}
