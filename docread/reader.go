// Package docread reads identity documents: it finds the document in a
// photo, straightens it, decides what it is, reads its fields (MRZ, printed
// zones, the Chinese resident ID's zones, the AAMVA barcode) and turns what
// it found into findings: refused document types, unreadable documents,
// failing check digits, internal inconsistencies (sent to manual review),
// declared data that differs from the document, expired documents.
//
// Reader.Read handles one image (kycgate check); Check is the
// kycgate.Check that reads a submission's document_front and
// document_back files together.
package docread

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strings"
	"sync"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/aamva"
	"github.com/kycgate/kycgate/cnid"
	"github.com/kycgate/kycgate/docclass"
	"github.com/kycgate/kycgate/expiry"
	"github.com/kycgate/kycgate/mrz"
	"github.com/kycgate/kycgate/mrzocr"
	"github.com/kycgate/kycgate/ocr"
	"github.com/kycgate/kycgate/ocr/prep"
)

// Locator finds the document's four corners (clockwise from top left) in a
// photo. found is false when there is no document.
type Locator func(img image.Image) (corners [4][2]float64, found bool, err error)

// Reader reads documents. The zero value is not usable; use New.
type Reader struct {
	OCR ocr.Engine
	// Locate finds the document; nil treats the whole image as the
	// document (scans, crops).
	Locate Locator
	// ReadMRZ reads a machine-readable zone; nil disables MRZ reading.
	ReadMRZ func(image.Image) (*mrzocr.Result, error)
	// ReadBarcode decodes an AAMVA PDF417; nil disables it.
	ReadBarcode func(image.Image) (*aamva.License, error)
	// Expiry configures the expiry decision (time zone of "today",
	// margin for documents about to expire).
	Expiry expiry.Options
}

// New returns a Reader with the production components: Tesseract, the
// document locator, the OCR-B MRZ recogniser and the zxing PDF417 decoder.
func New() (*Reader, error) {
	eng, err := ocr.Default()
	if err != nil {
		return nil, fmt.Errorf("docread: %w", err)
	}
	return &Reader{OCR: eng, Locate: defaultLocator, ReadMRZ: mrzocr.Read, ReadBarcode: aamva.Read}, nil
}

// face is what was read off one image.
type face struct {
	Class   docclass.Result
	Corners [][2]float64
	Card    *image.RGBA
	// Fields are the values read, keyed like kycgate.PersonalData's JSON
	// names plus date_of_expiry, date_of_issue, address, ethnicity, authority.
	Fields map[string]string
	// Source says where each field came from: "mrz", "barcode", "printed".
	Source map[string]string
	// Printed holds printed-zone readings of fields also read from the MRZ
	// on the same face (a passport's visual zone), for the cross-check
	// only: Fields keeps the MRZ's values.
	Printed map[string]string
	MRZ     []string
	// MRZDoc is the parsed MRZ when one was read.
	MRZDoc *mrz.Document
	// Invalid lists fields whose check digit or checksum fails.
	Invalid []string
	// Inconsistent lists fields on which two readings of this face disagree.
	Inconsistent []string
	// NoExpiry is true for a Chinese ID valid for life (长期).
	NoExpiry bool
	// Truncated marks machine-readable names that may be cut short.
	Truncated map[string]bool
	Portrait  []byte
	// OCRConfidence is the mean confidence of the printed-zone OCR.
	OCRConfidence float64
}

// readFace runs the whole reading on one image.
func (r *Reader) readFace(ctx context.Context, img image.Image) (*face, error) {
	return r.readFaceAt(ctx, img, nil)
}

// readFaceAt is readFace with the corners given (known) instead of located.
// When the located outline gives a poor reading (nothing recognised, or an
// accepted document whose data could not be read) the photo itself is
// searched: see rescue.
func (r *Reader) readFaceAt(ctx context.Context, img image.Image, known *[4][2]float64) (*face, error) {
	if img == nil || img.Bounds().Dx() < 32 || img.Bounds().Dy() < 32 {
		return nil, errors.New("docread: image too small")
	}
	q, located := frameQuad(img), false
	if known != nil {
		q, located = *known, true
	} else if r.Locate != nil {
		c, found, err := r.Locate(img)
		if err == nil && found {
			q, located = c, true
		}
	}
	f, err := r.readQuad(ctx, img, q, located)
	if err != nil || known != nil || !located || readWell(f) {
		return f, err
	}
	return r.rescue(ctx, img, f)
}

// frameQuad is the whole image as a quadrilateral.
func frameQuad(img image.Image) [4][2]float64 {
	b := img.Bounds()
	return [4][2]float64{{float64(b.Min.X), float64(b.Min.Y)}, {float64(b.Max.X), float64(b.Min.Y)},
		{float64(b.Max.X), float64(b.Max.Y)}, {float64(b.Min.X), float64(b.Max.Y)}}
}

// readWell reports whether a face was recognised and, for an accepted
// kind, its holder's data read.
func readWell(f *face) bool {
	switch {
	case f.Class.Kind == docclass.Other:
		return false
	case docclass.Accepted(f.Class.Kind):
		return identityRead(f.Fields)
	}
	return true
}

// rescue reads a photo whose located outline gave a poor reading (the
// outline missed the document or cut part of it), from evidence that does
// not need the outline: an MRZ found anywhere in the photo gives the page's
// geometry (pageFromMRZ); failing that, the whole frame is read as a scan
// (title text, a PDF417 anywhere in it). The better reading wins.
func (r *Reader) rescue(ctx context.Context, img image.Image, f *face) (*face, error) {
	best := f
	if r.ReadMRZ != nil {
		if res, err := r.ReadMRZ(img); err == nil && res != nil && res.Found && res.Document != nil && plausibleMRZ(res.Document) {
			if page, ok := pageFromMRZ(res); ok {
				g, err := r.readQuad(ctx, img, page, true)
				if err != nil {
					return nil, err
				}
				best = betterFace(g, best)
			}
		}
	}
	if readWell(best) {
		return best, nil
	}
	// The photo's MRZ has just been searched: the frame is not searched
	// again.
	frame := *r
	frame.ReadMRZ = nil
	g, err := frame.readQuad(ctx, img, frameQuad(img), false)
	if err != nil {
		return nil, err
	}
	return betterFace(g, best), nil
}

// betterFace returns the more informative of two readings of one photo: a
// recognised kind over nothing, then more fields read, then the higher
// classification score; a when they tie.
func betterFace(a, b *face) *face {
	rank := func(f *face) int {
		switch {
		case f.Class.Kind == docclass.Other:
			return 0
		case !docclass.Accepted(f.Class.Kind):
			return 1
		}
		return 2
	}
	switch {
	case rank(a) != rank(b):
		if rank(a) > rank(b) {
			return a
		}
		return b
	case len(a.Fields) != len(b.Fields):
		if len(a.Fields) > len(b.Fields) {
			return a
		}
		return b
	case b.Class.Score > a.Class.Score:
		return b
	}
	return a
}

// readQuad reads the document whose corners in img are q; located is false
// when q is the whole frame (nothing was found).
func (r *Reader) readQuad(ctx context.Context, img image.Image, q [4][2]float64, located bool) (*face, error) {
	q = landscape(q)
	f := &face{Fields: map[string]string{}, Source: map[string]string{}, Printed: map[string]string{}, Truncated: map[string]bool{}}
	for _, c := range q {
		f.Corners = append(f.Corners, c)
	}
	w, h, aspect := canonicalSize(q)
	var card *image.RGBA
	if !located && q == frameQuad(img) {
		card = scaleFrame(img, w, h)
	} else {
		card = rectify(img, q, w, h)
	}
	f.Card = card

	in := docclass.Input{Aspect: aspect}
	if r.ReadMRZ != nil {
		if res, err := r.ReadMRZ(card); err == nil && res != nil && res.Document != nil && res.Found && plausibleMRZ(res.Document) {
			// An MRZ counts when its layout parsed; check digits are
			// judged later (DOCUMENT_NUMBER_INVALID), not here.
			in.MRZFormat = string(res.Document.Format)
			in.MRZDocumentCode = res.Document.DocumentCode
			f.MRZDoc = res.Document
			f.MRZ = res.Lines
		}
	}
	var lic *aamva.License
	if f.MRZDoc == nil {
		// The barcode is tried once the title band has not named the
		// document: decoding costs little when a PDF417 is there but a
		// fruitless search (all rotations and scales) costs as much as
		// the band's OCR, so it is not run on every card.
		tryBarcode := func() bool {
			// Squarer pages carry no PDF417; an unlocated photo may still
			// show a licence back somewhere in the frame.
			if r.ReadBarcode == nil || (aspect < 1.45 && located) {
				return false
			}
			if l, err := r.ReadBarcode(f.Card); err == nil && l != nil {
				lic = l
				in.Barcode = true
				return true
			}
			return false
		}
		if err := r.classifyByText(ctx, f, &in, tryBarcode, located); err != nil {
			return nil, err
		}
	} else {
		f.Class = docclass.Classify(in)
	}
	card = f.Card // classifyByText may have turned it

	switch f.Class.Kind {
	case docclass.Passport, docclass.IDCard:
		if f.MRZDoc != nil {
			fillFromMRZ(f, f.MRZDoc)
			if f.MRZDoc.Format == mrz.TD3 {
				if err := r.readPassportVIZ(ctx, f); err != nil {
					return nil, err
				}
			}
		} else if f.Class.Kind == docclass.IDCard {
			if err := r.readTD1Front(ctx, f); err != nil {
				return nil, err
			}
		}
	case docclass.CNIDFront:
		fr, conf, err := cnid.ReadFront(ctx, r.OCR, card)
		if err != nil {
			return nil, err
		}
		f.OCRConfidence = conf
		if n, err := cnid.Parse(fr.Number); err == nil {
			// A printed birth date or sex that could not be read at all is
			// taken from the number, which encodes both and has passed its
			// check character. A date that was read stays as read, so the
			// cross-check still catches a card whose print and number
			// disagree.
			if fr.BirthDate == "" {
				fr.BirthDate = n.BirthDate
			}
			if fr.Sex == "" {
				fr.Sex = n.Sex
			}
		}
		fillCNFront(f, fr)
		if !cnid.Valid(fr.Number) && fr.Number != "" {
			// One retry with a binarised crop before calling the number
			// invalid: a misread digit is likelier than a forged number.
			if n := r.rereadCNNumber(ctx, card); cnid.Valid(n) {
				fr.Number = n
				fillCNFront(f, fr)
			}
		}
	case docclass.CNIDBack:
		bk, conf, err := cnid.ReadBack(ctx, r.OCR, card)
		if err != nil {
			return nil, err
		}
		f.OCRConfidence = conf
		put(f, "authority", bk.Authority, "printed")
		put(f, "date_of_issue", bk.ValidFrom, "printed")
		put(f, "date_of_expiry", bk.ValidUntil, "printed")
		f.NoExpiry = bk.NoExpiry
		if bk.ValidFrom != "" {
			put(f, "issuing_country", "CHN", "printed")
		}
	case docclass.DriverLicense:
		if lic != nil {
			for k, v := range lic.Fields() {
				put(f, k, v, "barcode")
			}
			for _, t := range lic.NameTruncated {
				if t == "surname" {
					f.Truncated["surname"] = true
				} else {
					f.Truncated["given_names"] = true
				}
			}
		} else if err := r.readDLFront(ctx, f); err != nil {
			return nil, err
		}
	}
	if zone, ok := portraitZones[f.Class.Kind]; ok {
		f.Portrait = cropPNG(card, zone)
	}
	return f, nil
}

// plausibleMRZ accepts an MRZ reading when it verifies or when at least two
// of its check digits do: text that merely looks like an MRZ (a barcode, a
// row of OCR-B digits) does not pass two check digits by chance (1 in 100),
// while a genuine MRZ with one misprinted or tampered check digit still
// counts (and is reported as DOCUMENT_NUMBER_INVALID).
func plausibleMRZ(d *mrz.Document) bool {
	if d.Valid {
		return true
	}
	n := 0
	for _, k := range []string{mrz.CheckDocumentNumber, mrz.CheckDateOfBirth, mrz.CheckDateOfExpiry, mrz.CheckComposite} {
		if d.Checks[k] {
			n++
		}
	}
	return n >= 2
}

func put(f *face, key, value, source string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return
	}
	f.Fields[key] = value
	f.Source[key] = source
}

// bandZone is the top band of a document where titles are printed; OCR of
// the band alone classifies most documents at a fraction of the cost of
// reading the whole face.
var bandZone = [4]float64{0, 0, 1, 0.45}

// bandScale shrinks the band before OCR: titles are large (5–10 % of the
// card height), so half resolution reads them as well at a third of the
// cost.
const bandScale = 0.5

// bandContrastWindow is the local-contrast window as a fraction of the
// card height: about twice the height of a title, so that the window's
// mean is the band's background rather than the letters.
const bandContrastWindow = 0.1

// classifyByText classifies a face without MRZ or barcode from OCR text:
// the title band first, the whole face when the band is not conclusive,
// and the face turned half a turn when nothing is recognised at all (a
// document photographed upside down).
func (r *Reader) classifyByText(ctx context.Context, f *face, in *docclass.Input, tryBarcode func() bool, located bool) error {
	// The whole face is read at 3/4 resolution; an unlocated photo at full
	// resolution, since the document may fill only part of it.
	fullScale := 0.75
	if !located {
		fullScale = 1
	}
	barcodeTried := false
	try := func(card *image.RGBA) (docclass.Result, string, float64, error) {
		crop := prep.Crop(card, bandZone[0], bandZone[1], bandZone[2], bandZone[3])
		var texts []string
		var confSum float64
		// Luma first; then the darkest channel, which turns coloured
		// titles and labels (blue, red) as dark as black print but loses
		// light text on a dark band; then the local contrast, which draws
		// light-on-dark titles (a licence's yellow on a blue gradient)
		// dark on white; then the rest of the face.
		steps := []func() *image.Gray{
			func() *image.Gray { return prep.Scale(prep.Gray(crop), bandScale) },
			func() *image.Gray { return prep.Scale(prep.MinChannel(crop), bandScale) },
			func() *image.Gray {
				g := prep.Scale(prep.Gray(crop), bandScale)
				return prep.LocalContrast(g, int(bandContrastWindow*float64(card.Bounds().Dy())*bandScale), 3)
			},
			func() *image.Gray {
				return prep.Scale(prep.MinChannel(card), fullScale)
			},
		}
		var res docclass.Result
		for i, step := range steps {
			t, err := r.OCR.Recognize(ctx, step(), ocr.Options{Lang: ocr.LangChinese, PSM: ocr.PSMAuto})
			if err != nil {
				return docclass.Result{}, "", 0, fmt.Errorf("docread: document text: %w", err)
			}
			texts = append(texts, t.Text)
			confSum += t.Confidence
			in.Text = strings.Join(texts, "\n") // the whole face repeats the band: keywords are counted once
			res = docclass.Classify(*in)
			if res.Kind != docclass.Other && res.Margin >= 2 {
				return res, in.Text, confSum / float64(i+1), nil
			}
			if i == 1 && !barcodeTried && tryBarcode != nil {
				barcodeTried = true
				if tryBarcode() {
					return docclass.Classify(*in), in.Text, confSum / 2, nil
				}
			}
		}
		return res, in.Text, confSum / float64(len(steps)), nil
	}
	res, text, conf, err := try(f.Card)
	if err != nil {
		return err
	}
	if res.Kind == docclass.Other && res.Score < 1 {
		turned := rotateRGBA180(f.Card)
		res2, text2, conf2, err := try(turned)
		if err != nil {
			return err
		}
		if res2.Score > res.Score {
			res, text, conf = res2, text2, conf2
			f.Card = turned
			c := f.Corners
			f.Corners = [][2]float64{c[2], c[3], c[0], c[1]}
		}
	}
	_ = text
	f.Class = res
	f.OCRConfidence = conf
	return nil
}

func rotateRGBA180(src *image.RGBA) *image.RGBA {
	b := src.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			si := src.PixOffset(b.Min.X+x, b.Min.Y+y)
			di := out.PixOffset(b.Dx()-1-x, b.Dy()-1-y)
			copy(out.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return out
}

// fillFromMRZ takes the holder data from a parsed MRZ. Names keep the MRZ
// spelling with fillers as spaces; dates are ISO.
func fillFromMRZ(f *face, d *mrz.Document) {
	put(f, "surname", d.Surname, "mrz")
	put(f, "given_names", d.GivenNames, "mrz")
	put(f, "document_number", d.DocumentNumber, "mrz")
	put(f, "nationality", d.Nationality, "mrz")
	put(f, "issuing_country", d.IssuingState, "mrz")
	put(f, "date_of_birth", d.DateOfBirth.String(), "mrz")
	put(f, "date_of_expiry", d.DateOfExpiry.String(), "mrz")
	for k, v := range mrzTruncation(d.Lines) {
		f.Truncated[k] = v
	}
	if d.Sex == "M" || d.Sex == "F" {
		put(f, "sex", d.Sex, "mrz")
	}
	for _, c := range []struct{ check, field string }{
		{mrz.CheckDocumentNumber, "document_number"}, {mrz.CheckDateOfBirth, "date_of_birth"},
		{mrz.CheckDateOfExpiry, "date_of_expiry"}, {mrz.CheckComposite, "composite"},
		{mrz.CheckPersonalNumber, "personal_number"},
	} {
		if ok, present := d.Checks[c.check]; present && !ok {
			f.Invalid = append(f.Invalid, c.field)
		}
	}
}

func fillCNFront(f *face, fr cnid.Front) {
	put(f, "native_name", fr.Name, "printed")
	put(f, "sex", fr.Sex, "printed")
	put(f, "ethnicity", fr.Ethnicity, "printed")
	put(f, "date_of_birth", fr.BirthDate, "printed")
	put(f, "address", fr.Address, "printed")
	put(f, "document_number", fr.Number, "printed")
	f.Invalid, f.Inconsistent = nil, nil
	if fr.Number != "" {
		put(f, "nationality", "CHN", "printed")
		put(f, "issuing_country", "CHN", "printed")
		if !cnid.Valid(fr.Number) {
			f.Invalid = append(f.Invalid, "document_number")
		} else {
			f.Inconsistent = fr.Inconsistencies()
		}
	}
}

func (r *Reader) rereadCNNumber(ctx context.Context, card image.Image) string {
	z := cnid.FrontNumberZone
	g := prep.ForOCR(prep.Crop(card, z[0], z[1], z[2], z[3]), 0.06*float64(card.Bounds().Dy()))
	bin := prep.Binarize(g, 41, 12)
	t, err := r.OCR.Recognize(ctx, bin, ocr.Options{Lang: ocr.LangEnglish, PSM: ocr.PSMSingleLine, Whitelist: "0123456789X"})
	if err != nil {
		return ""
	}
	return cnid.Normalize(t.Text)
}

// portraitZones are where the holder's photo sits, as fractions of the
// rectified document: left on ICAO TD3/TD1 and AAMVA layouts, right on the
// Chinese resident ID.
var portraitZones = map[docclass.Kind][4]float64{
	docclass.Passport:      {0.03, 0.15, 0.31, 0.65},
	docclass.IDCard:        {0.025, 0.18, 0.315, 0.76},
	docclass.DriverLicense: {0.025, 0.19, 0.315, 0.76},
	docclass.CNIDFront:     {0.635, 0.11, 0.945, 0.69},
}

func cropPNG(card image.Image, z [4]float64) []byte {
	crop := prep.Crop(card, z[0], z[1], z[2], z[3])
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, crop); err != nil {
		return nil
	}
	return buf.Bytes()
}

// Read reads one document image (the CLI's kycgate check): it returns what
// was read and the findings of the id_document step. declaredType is the
// applicant's document_type ("" when unknown). Use ReadDeclared to also
// compare declared data and check the expiry.
func (r *Reader) Read(ctx context.Context, img image.Image, declaredType string) (*kycgate.DocumentReading, []kycgate.Finding, error) {
	f, err := r.readFace(ctx, img)
	if err != nil {
		return nil, nil, err
	}
	res := combine([]*face{f}, declaredType)
	return res.reading, res.findings, nil
}

// ReadDeclared reads the images of one document (front, and back when
// given) and returns the reading with every finding: type, readability,
// check digits, internal consistency, the declared-data comparison (when
// declared is not nil) and the expiry at now.
func (r *Reader) ReadDeclared(ctx context.Context, imgs []image.Image, declared *kycgate.PersonalData, now time.Time) (*kycgate.DocumentReading, []kycgate.Finding, error) {
	var faces []*face
	for _, img := range imgs {
		f, err := r.readFace(ctx, img)
		if err != nil {
			return nil, nil, err
		}
		faces = append(faces, f)
	}
	declaredType := ""
	if declared != nil {
		declaredType = declared.DocumentType
	}
	res := combine(faces, declaredType)
	return res.reading, append(res.findings, r.afterReading(res, declared, now)...), nil
}

// afterReading gives the findings that need the declared data and the
// date: the comparison and the expiry, for accepted documents only.
func (r *Reader) afterReading(res combined, declared *kycgate.PersonalData, now time.Time) []kycgate.Finding {
	if !accepted(res.reading) || !identityRead(res.reading.Fields) {
		return nil
	}
	var out []kycgate.Finding
	if declared != nil {
		out = append(out, compareDoc(res.doc, declared)...)
	}
	return append(out, Expired(res.reading, now, r.Expiry)...)
}

var (
	defaultOnce   sync.Once
	defaultReader *Reader
	defaultErr    error
)

// Default returns the process-wide production Reader, built on first use.
func Default() (*Reader, error) {
	defaultOnce.Do(func() { defaultReader, defaultErr = New() })
	return defaultReader, defaultErr
}

// Read reads one document image with the default Reader; see Reader.Read.
func Read(ctx context.Context, img image.Image, declaredType string) (*kycgate.DocumentReading, []kycgate.Finding, error) {
	r, err := Default()
	if err != nil {
		return nil, nil, err
	}
	return r.Read(ctx, img, declaredType)
}
