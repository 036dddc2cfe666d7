package face

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestMobileFaceNetVersusDlib compares MobileFaceNet with the dlib ResNet
// on the same faces (AnalyzePortrait's landmarks, each network's own
// alignment) over face_pairs.csv and every two labelled images, with and
// without the unlicensed go-face photos. It takes about a minute, so it
// runs only with KYCGATE_EVAL_MOBILEFACENET=1.
func TestMobileFaceNetVersusDlib(t *testing.T) {
	if os.Getenv("KYCGATE_EVAL_MOBILEFACENET") == "" {
		t.Skip("set KYCGATE_EVAL_MOBILEFACENET=1 to compare the embeddings")
	}
	m := testModels(t)
	net := testMobileFaceNet(t)
	root := sharedTestdata(t)

	type embeddings struct{ dlib, mfn []float32 }
	embedImage := func(img image.Image) *embeddings {
		f, err := m.AnalyzePortrait(img)
		if err != nil {
			return nil
		}
		chip, err := arcFaceChip(toRGB(img), &f.Landmarks)
		if err != nil {
			t.Fatal(err)
		}
		v, err := net.forward(chip)
		if err != nil {
			t.Fatal(err)
		}
		return &embeddings{dlib: f.Descriptor[:], mfn: v}
	}
	cache := map[string]*embeddings{}
	embed := func(file string) *embeddings {
		if e, ok := cache[file]; ok {
			return e
		}
		img, err := decodeFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		cache[file] = embedImage(img)
		return cache[file]
	}
	// distances holds genuine and impostor distances for both networks.
	type distances struct{ genuine, impostor [2][]float64 }
	add := func(d *distances, a, b *embeddings, same bool) {
		for k := range 2 {
			dist := math.Inf(1)
			if a != nil && b != nil {
				x, y := a.dlib, b.dlib
				if k == 1 {
					x, y = a.mfn, b.mfn
				}
				dist = euclidean(x, y)
			}
			if same {
				d.genuine[k] = append(d.genuine[k], dist)
			} else {
				d.impostor[k] = append(d.impostor[k], dist)
			}
		}
	}
	var pairs, pairsLicensed, every, everyLicensed, documents distances

	f, err := os.Open(filepath.Join(root, "faces", "face_pairs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		a, b := embed(row[0]), embed(row[1])
		add(&pairs, a, b, row[2] == "1")
		if !unlicensed(row[0]) && !unlicensed(row[1]) {
			add(&pairsLicensed, a, b, row[2] == "1")
		}
	}
	raw, err := os.ReadFile(filepath.Join(root, "faces", "face_labels.json"))
	if err != nil {
		t.Fatal(err)
	}
	var labels labelsFile
	if err := json.Unmarshal(raw, &labels); err != nil {
		t.Fatal(err)
	}
	var items []int
	for i, it := range labels.Items {
		if it.Identity != "" {
			items = append(items, i)
		}
	}
	for x, i := range items {
		for _, j := range items[x+1:] {
			a, b := labels.Items[i], labels.Items[j]
			same := a.Identity == b.Identity
			ea, eb := embed(a.File), embed(b.File)
			add(&every, ea, eb, same)
			if !unlicensed(a.File) && !unlicensed(b.File) {
				add(&everyLicensed, ea, eb, same)
			}
		}
	}
	// Document portrait zones (face/documents_test.go) against the other
	// photos of every identity.
	for _, d := range makeDocuments(t, m, root) {
		doc := embedImage(d.portrait)
		for ident, files := range docIdentities {
			for _, f := range files[1:] {
				add(&documents, doc, embed(f), ident == d.identity)
			}
		}
	}
	for _, s := range []struct {
		name string
		d    distances
	}{
		{"face_pairs.csv", pairs},
		{"face_pairs.csv without go-face", pairsLicensed},
		{"every two labelled images", every},
		{"every two without go-face", everyLicensed},
		{"document portrait vs selfie", documents},
	} {
		for k, name := range []string{"dlib ResNet", "MobileFaceNet"} {
			g, im := s.d.genuine[k], s.d.impostor[k]
			tar1, _ := TARAtFAR(g, im, 0.01)
			tar01, _ := TARAtFAR(g, im, 0.001)
			eer, _ := EER(g, im)
			fmt.Printf("%-32s %-13s %3d genuine %4d impostor  TAR@FAR1%% %.3f  TAR@FAR0.1%% %.3f  EER %.3f  median distance genuine %.3f impostor %.3f\n",
				s.name, name, len(g), len(im), tar1, tar01, eer, median(g), median(im))
		}
	}
}

func euclidean(a, b []float32) float64 {
	var s float64
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return math.Sqrt(s)
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
