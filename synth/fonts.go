package synth

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// FontDirEnv names an environment variable holding an extra directory that
// is searched first for the font files (useful outside Debian).
const FontDirEnv = "KYCGATE_FONTS_DIR"

// fontFiles lists, per role, the file name and the directories where the
// Debian packages put it.
var fontFiles = map[string]struct {
	name string
	dirs []string
	pkg  string
}{
	// OCRBS.otf, not OCRB.otf: golang.org/x/image renders '8' and '<' from
	// OCRB.otf as blank glyphs, which would corrupt every MRZ.
	"ocrb":     {"OCRBS.otf", []string{"/usr/share/fonts/opentype/ocr-b", "/usr/share/fonts/truetype/ocr-b"}, "fonts-ocr-b"},
	"sans":     {"DejaVuSans.ttf", []string{"/usr/share/fonts/truetype/dejavu"}, "fonts-dejavu-core"},
	"sansBold": {"DejaVuSans-Bold.ttf", []string{"/usr/share/fonts/truetype/dejavu"}, "fonts-dejavu-core"},
	"cjk":      {"NotoSansCJK-Regular.ttc", []string{"/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto"}, "fonts-noto-cjk"},
	"cjkBold":  {"NotoSansCJK-Bold.ttc", []string{"/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto"}, "fonts-noto-cjk"},
}

type fontSet struct {
	ocrb, sans, sansBold, cjk, cjkBold *opentype.Font
}

var (
	fontsOnce sync.Once
	fonts     *fontSet
	fontsErr  error
)

func findFont(role string) (string, error) {
	spec := fontFiles[role]
	dirs := spec.dirs
	if d := os.Getenv(FontDirEnv); d != "" {
		dirs = append([]string{d}, dirs...)
	}
	for _, d := range dirs {
		p := filepath.Join(d, spec.name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("synth: font %s not found in %s (install the Debian package %s or set %s)",
		spec.name, strings.Join(dirs, ", "), spec.pkg, FontDirEnv)
}

func loadFont(role string) (*opentype.Font, error) {
	p, err := findFont(role)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("synth: read font: %w", err)
	}
	if !strings.HasSuffix(p, ".ttc") {
		f, err := opentype.Parse(data)
		if err != nil {
			return nil, fmt.Errorf("synth: parse %s: %w", p, err)
		}
		return f, nil
	}
	coll, err := opentype.ParseCollection(data)
	if err != nil {
		return nil, fmt.Errorf("synth: parse collection %s: %w", p, err)
	}
	// Prefer the Simplified Chinese member: its glyph shapes are the ones
	// printed on mainland documents.
	var first *opentype.Font
	for i := 0; i < coll.NumFonts(); i++ {
		f, err := coll.Font(i)
		if err != nil {
			continue
		}
		if first == nil {
			first = f
		}
		name, err := f.Name(nil, sfnt.NameIDFamily)
		if err == nil && strings.HasSuffix(name, " SC") {
			return f, nil
		}
	}
	if first == nil {
		return nil, fmt.Errorf("synth: collection %s has no usable font", p)
	}
	return first, nil
}

// loadFonts parses every font once per process.
func loadFonts() (*fontSet, error) {
	fontsOnce.Do(func() {
		fs := &fontSet{}
		for role, dst := range map[string]**opentype.Font{
			"ocrb": &fs.ocrb, "sans": &fs.sans, "sansBold": &fs.sansBold, "cjk": &fs.cjk, "cjkBold": &fs.cjkBold,
		} {
			f, err := loadFont(role)
			if err != nil {
				fontsErr = err
				return
			}
			*dst = f
		}
		fonts = fs
	})
	return fonts, fontsErr
}

// OCRBFont returns the parsed OCR-B font (OCRBS.otf) that Render uses for
// MRZs, so that recognisers can build templates from exactly the same glyphs.
func OCRBFont() (*opentype.Font, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	return fs.ocrb, nil
}

// faceCache creates font faces on demand for one render; opentype faces
// are not safe for concurrent use, so each Render call owns its cache.
type faceCache struct {
	fs    *fontSet
	faces map[faceKey]font.Face
}

type faceKey struct {
	f    *opentype.Font
	size float64
}

func newFaceCache(fs *fontSet) *faceCache {
	return &faceCache{fs: fs, faces: map[faceKey]font.Face{}}
}

func (c *faceCache) face(f *opentype.Font, size float64) font.Face {
	k := faceKey{f, size}
	if fc, ok := c.faces[k]; ok {
		return fc
	}
	fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// Only invalid sizes fail here and sizes are constants in this
		// package; fall back to a fixed bitmap face rather than panic.
		return basicfont.Face7x13
	}
	c.faces[k] = fc
	return fc
}

func (c *faceCache) close() {
	for _, f := range c.faces {
		f.Close()
	}
}
