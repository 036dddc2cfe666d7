package doceval_test

import (
	"fmt"
	"os"

	"github.com/kycgate/kycgate/docloc/doceval"
)

// Evaluate 100 generated photos of each kind plus the real labelled photos
// and print the summary and the failing cases (what `kycgate eval` does).
func ExampleEvaluate() {
	rep, err := doceval.Evaluate(doceval.Config{Clean: 100, Cut: 50, Negatives: 30, Seed: 1,
		RealDir: "../shared/testdata/documents/corners"})
	if err != nil {
		fmt.Println(err) // fonts or real photos missing
		return
	}
	rep.WriteText(os.Stdout)
}
