package docread

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"sort"
	"strings"
	"time"

	"github.com/kycgate/kycgate/aamva"
	"github.com/kycgate/kycgate/docclass"
	"github.com/kycgate/kycgate/synth"
)

// evalFace is one document face of the evaluation: what synth draws and
// what the reader should classify it as.
type evalFace struct {
	name string
	kind synth.Kind
	back bool
	want docclass.Kind
}

var evalFaces = []evalFace{
	{"passport", synth.Passport, false, docclass.Passport},
	{"id_card_front", synth.IDCard, false, docclass.IDCard},
	{"id_card_back", synth.IDCard, true, docclass.IDCard},
	{"cn_id_front", synth.CNIDFront, false, docclass.CNIDFront},
	{"cn_id_back", synth.CNIDBack, false, docclass.CNIDBack},
	{"driver_license_front", synth.DriverLicense, false, docclass.DriverLicense},
	{"driver_license_back", synth.DriverLicense, true, docclass.DriverLicense},
	{"household_register", synth.HouseholdRegister, false, docclass.HouseholdRegister},
	{"student_card", synth.StudentCard, false, docclass.StudentCard},
	{"social_security_card", synth.SocialSecurityCard, false, docclass.SocialSecurityCard},
	{"bank_card", synth.BankCard, false, docclass.BankCard},
}

// truth returns the fields a face carries and the reader is expected to
// read, from the identity drawn.
func truth(f evalFace, id synth.Identity) map[string]string {
	mrzFields := map[string]string{"surname": id.Surname, "given_names": id.GivenNames, "date_of_birth": id.DateOfBirth,
		"sex": id.Sex, "nationality": id.Nationality, "document_number": id.DocumentNumber,
		"date_of_expiry": id.DateOfExpiry, "issuing_country": id.IssuingCountry}
	switch f.name {
	case "passport", "id_card_back":
		return mrzFields
	case "id_card_front":
		delete(mrzFields, "issuing_country")
		return mrzFields
	case "cn_id_front":
		return map[string]string{"native_name": id.NativeName, "sex": id.Sex, "ethnicity": id.Ethnicity,
			"date_of_birth": id.DateOfBirth, "address": id.Address, "document_number": id.DocumentNumber}
	case "cn_id_back":
		exp := id.DateOfExpiry
		if exp == synth.NoExpiry {
			exp = ""
		}
		return map[string]string{"authority": id.Authority, "date_of_issue": id.DateOfIssue, "date_of_expiry": exp}
	case "driver_license_front", "driver_license_back":
		return map[string]string{"surname": id.Surname, "given_names": id.GivenNames, "date_of_birth": id.DateOfBirth,
			"sex": id.Sex, "document_number": id.DocumentNumber, "date_of_expiry": id.DateOfExpiry, "address": id.Address}
	}
	return nil
}

// licence builds the AAMVA record of a synthetic identity.
func licence(id synth.Identity) *aamva.License {
	l := &aamva.License{Surname: id.Surname, FirstName: id.GivenNames, GivenNames: id.GivenNames,
		DateOfBirth: id.DateOfBirth, DateOfExpiry: id.DateOfExpiry, DateOfIssue: id.DateOfIssue,
		DocumentNumber: id.DocumentNumber, Sex: id.Sex, Country: "USA"}
	parts := strings.Split(id.Address, ", ")
	if len(parts) == 3 {
		l.Street, l.City = parts[0], parts[1]
		if sp := strings.Fields(parts[2]); len(sp) == 2 {
			l.State, l.PostalCode = sp[0], sp[1]
		}
	}
	return l
}

// Report holds the evaluation's figures.
type Report struct {
	Faces int
	// Confusion counts [truth][predicted] classifications.
	Confusion map[docclass.Kind]map[docclass.Kind]int
	Correct   int
	// FieldsExact and FieldsTotal count fields per face name.
	FieldsExact, FieldsTotal map[string]int
	// Misses lists "face/field: got X want Y" for the report (synthetic
	// identities only).
	Misses []string
	// Durations are the end-to-end reading times.
	Durations []time.Duration
	// Known* are the same figures when the reader is given the true
	// corners: reading quality without localisation errors.
	KnownFaces, KnownCorrect           int
	KnownConfusion                     map[docclass.Kind]map[docclass.Kind]int
	KnownFieldsExact, KnownFieldsTotal map[string]int
	// Review and KnownReview count, per face name, the faces whose own
	// readings disagree (sent to manual review); on these genuine
	// documents every one is a false alarm.
	Review, KnownReview map[string]int
	// VIZRead and KnownVIZRead count the passport visual-zone fields read
	// confidently enough to be cross-checked with the MRZ (of
	// len(vizFields) per passport).
	VIZRead, KnownVIZRead int
}

// countCrossCheck records whether a face's readings disagree and how many
// visual-zone fields were read for the cross-check.
func countCrossCheck(ef evalFace, f *face, review map[string]int, vizRead *int) {
	if f == nil {
		return
	}
	if inc, _ := inconsistencies([]*face{f}); len(inc) > 0 {
		review[ef.name]++
	}
	if ef.name == "passport" {
		*vizRead += len(f.Printed)
	}
}

// ClassificationRate is the share of faces classified correctly.
func (r *Report) ClassificationRate() float64 {
	if r.Faces == 0 {
		return 0
	}
	return float64(r.Correct) / float64(r.Faces)
}

// FieldRate is the share of expected fields read exactly, over all faces.
func (r *Report) FieldRate() float64 { return rate(r.FieldsExact, r.FieldsTotal) }

// KnownCornersRates are the classification and field rates with the true
// corners given.
func (r *Report) KnownCornersRates() (classification, fields float64) {
	if r.KnownFaces == 0 {
		return 0, 0
	}
	return float64(r.KnownCorrect) / float64(r.KnownFaces), rate(r.KnownFieldsExact, r.KnownFieldsTotal)
}

func rate(exact, total map[string]int) float64 {
	e, t := 0, 0
	for k := range total {
		e += exact[k]
		t += total[k]
	}
	if t == 0 {
		return 0
	}
	return float64(e) / float64(t)
}

// Evaluate generates n documents of every face kind with synth, photographs
// each with a clean random phone camera (perspective, light fall-off,
// noise, JPEG; no blur, glare or cut corner), reads it with the production
// reader and writes the classification confusion table and the field
// exact-match rates per kind to w.
func Evaluate(w io.Writer, n int) (*Report, error) {
	rd, err := New()
	if err != nil {
		return nil, err
	}
	return rd.evaluate(w, n, 1, true)
}

// evaluate runs the evaluation; with known it also reads every photo with
// the true corners.
func (rd *Reader) evaluate(w io.Writer, n int, seed int64, known bool) (*Report, error) {
	return rd.evaluateMode(w, n, seed, true, known)
}

// evaluateMode runs the end-to-end pass (located corners) when located is
// set and the true-corner pass when known is set.
func (rd *Reader) evaluateMode(w io.Writer, n int, seed int64, located, known bool) (*Report, error) {
	rng := rand.New(rand.NewSource(seed))
	rep := &Report{Confusion: map[docclass.Kind]map[docclass.Kind]int{}, FieldsExact: map[string]int{}, FieldsTotal: map[string]int{},
		KnownFieldsExact: map[string]int{}, KnownFieldsTotal: map[string]int{}, KnownConfusion: map[docclass.Kind]map[docclass.Kind]int{},
		Review: map[string]int{}, KnownReview: map[string]int{}}
	ctx := context.Background()
	for i := 0; i < n; i++ {
		for _, ef := range evalFaces {
			id := synth.RandomIdentity(rng, ef.kind)
			opt := synth.Options{Back: ef.back}
			if ef.name == "driver_license_back" {
				bc, err := aamva.Barcode(aamva.Encode(licence(id), aamva.EncodeOptions{}), 3)
				if err != nil {
					return nil, fmt.Errorf("eval: barcode: %w", err)
				}
				opt.Barcode = bc
			}
			doc, err := synth.Render(ef.kind, id, opt)
			if err != nil {
				return nil, fmt.Errorf("eval: render %s: %w", ef.name, err)
			}
			photo, corners, err := synth.Photograph(doc.Image, synth.RandomCamera(rng), rng)
			if err != nil {
				return nil, fmt.Errorf("eval: photograph %s: %w", ef.name, err)
			}
			if located {
				t0 := time.Now()
				f, err := rd.readFace(ctx, photo)
				rep.Durations = append(rep.Durations, time.Since(t0))
				rep.Faces++
				got := docclass.Other
				if err == nil {
					got = f.Class.Kind
				}
				if rep.Confusion[ef.want] == nil {
					rep.Confusion[ef.want] = map[docclass.Kind]int{}
				}
				rep.Confusion[ef.want][got]++
				if got == ef.want {
					rep.Correct++
				}
				rep.score(ef, id, f, err, rep.FieldsExact, rep.FieldsTotal, "")
				countCrossCheck(ef, f, rep.Review, &rep.VIZRead)
			}
			if known {
				kf, kerr := rd.readFaceAt(ctx, photo, &corners)
				rep.KnownFaces++
				got := docclass.Other
				if kerr == nil {
					got = kf.Class.Kind
				}
				if rep.KnownConfusion[ef.want] == nil {
					rep.KnownConfusion[ef.want] = map[docclass.Kind]int{}
				}
				rep.KnownConfusion[ef.want][got]++
				if got == ef.want {
					rep.KnownCorrect++
				}
				rep.score(ef, id, kf, kerr, rep.KnownFieldsExact, rep.KnownFieldsTotal, "(true corners) ")
				countCrossCheck(ef, kf, rep.KnownReview, &rep.KnownVIZRead)
			}
		}
	}
	rep.write(w)
	return rep, nil
}

func (r *Report) score(ef evalFace, id synth.Identity, f *face, err error, exact, total map[string]int, prefix string) {
	for k, want := range truth(ef, id) {
		total[ef.name]++
		if fieldOK(f, err, k, want) {
			exact[ef.name]++
			continue
		}
		var have string
		if f != nil {
			have = f.Fields[k]
		}
		r.Misses = append(r.Misses, fmt.Sprintf("%s%s/%s: got %q want %q", prefix, ef.name, k, have, want))
	}
}

// fieldOK compares a read field with the truth: exactly, except that names
// read from an MRZ are compared in MRZ form (the MRZ cannot hold a hyphen
// or an apostrophe).
func fieldOK(f *face, err error, k, want string) bool {
	if err != nil || f == nil {
		return want == ""
	}
	have := f.Fields[k]
	if have == want {
		return true
	}
	return f.Source[k] == "mrz" && (k == "surname" || k == "given_names") && mrzForm(have) == mrzForm(want)
}

func (r *Report) write(w io.Writer) {
	if r.Faces > 0 {
		fmt.Fprintf(w, "== end to end (docloc corners): %d faces, classification %d/%d = %.1f%%, fields exact %.1f%%\n",
			r.Faces, r.Correct, r.Faces, 100*r.ClassificationRate(), 100*r.FieldRate())
		writeTables(w, r.Confusion, r.FieldsExact, r.FieldsTotal)
		writeCrossCheck(w, r.Faces/len(evalFaces), r.Review, r.VIZRead)
	}
	if r.KnownFaces > 0 {
		c, f := r.KnownCornersRates()
		fmt.Fprintf(w, "== true corners (reading only): %d faces, classification %d/%d = %.1f%%, fields exact %.1f%%\n",
			r.KnownFaces, r.KnownCorrect, r.KnownFaces, 100*c, 100*f)
		writeTables(w, r.KnownConfusion, r.KnownFieldsExact, r.KnownFieldsTotal)
		writeCrossCheck(w, r.KnownFaces/len(evalFaces), r.KnownReview, r.KnownVIZRead)
	}
	if len(r.Durations) > 0 {
		d := append([]time.Duration(nil), r.Durations...)
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		fmt.Fprintf(w, "reading time per photo (wall, shared cores): median %v, max %v\n\n", d[len(d)/2].Round(time.Millisecond), d[len(d)-1].Round(time.Millisecond))
	}
	if len(r.Misses) > 0 {
		fmt.Fprintf(w, "misses (synthetic identities):\n")
		for _, m := range r.Misses {
			fmt.Fprintf(w, "  %s\n", m)
		}
	}
}

// writeCrossCheck prints the internal cross-check's false alarms (n faces
// of each name) and the passport visual-zone fields it could use.
func writeCrossCheck(w io.Writer, n int, review map[string]int, vizRead int) {
	total := 0
	for _, c := range review {
		total += c
	}
	fmt.Fprintf(w, "cross-check (genuine documents): %d/%d faces sent to review %v; passport VIZ fields read confidently %d/%d\n\n",
		total, n*len(evalFaces), review, vizRead, n*len(vizFields))
}

func writeTables(w io.Writer, conf map[docclass.Kind]map[docclass.Kind]int, exact, total map[string]int) {
	fmt.Fprintf(w, "confusion (rows truth, columns predicted):\n%-22s", "")
	for _, k := range docclass.Kinds {
		fmt.Fprintf(w, " %5.5s", short(k))
	}
	fmt.Fprintln(w)
	for _, t := range docclass.Kinds {
		row := conf[t]
		if row == nil {
			continue
		}
		fmt.Fprintf(w, "%-22s", t)
		for _, p := range docclass.Kinds {
			fmt.Fprintf(w, " %5d", row[p])
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "fields exact per face:\n")
	var names []string
	for k := range total {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(w, "  %-22s %4d/%-4d %6.1f%%\n", k, exact[k], total[k], 100*float64(exact[k])/float64(total[k]))
	}
	fmt.Fprintln(w)
}

func short(k docclass.Kind) string {
	switch k {
	case docclass.Passport:
		return "pass"
	case docclass.IDCard:
		return "td1"
	case docclass.CNIDFront:
		return "cnF"
	case docclass.CNIDBack:
		return "cnB"
	case docclass.DriverLicense:
		return "dl"
	case docclass.HouseholdRegister:
		return "hhr"
	case docclass.StudentCard:
		return "stud"
	case docclass.SocialSecurityCard:
		return "ssc"
	case docclass.BankCard:
		return "bank"
	}
	return "other"
}
