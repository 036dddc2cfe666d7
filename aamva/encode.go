package aamva

import (
	"fmt"
	"strings"
)

// EncodeOptions shape the payload Encode writes. The zero value writes a
// clean version-10 (2020) DL file.
type EncodeOptions struct {
	// Version is the AAMVA standard version, 1–10 (default 10). Version 1
	// writes DAA "LAST,FIRST,MIDDLE" and CCYYMMDD dates; 2–3 write DCT;
	// 4+ write DAC/DAD and truncation flags.
	Version int
	// IIN defaults to 636000 (Virginia in AAMVA's table; the data is
	// synthetic either way).
	IIN string
	// Kind is "DL" (default) or "ID".
	Kind string
	// JurisdictionSubfile adds a Z subfile ("ZV") after the DL/ID subfile.
	JurisdictionSubfile bool

	// The options below reproduce the variance of real cards and scanners,
	// to test the parser's leniency.

	// NoComplianceIndicator drops the leading "@\n\x1e\r".
	NoComplianceIndicator bool
	// CRLF separates elements with "\r\n" instead of "\n".
	CRLF bool
	// WrongOffsets writes subfile offsets off by 3.
	WrongOffsets bool
}

// Encode writes l as an AAMVA DL/ID payload, computing the header and the
// subfile offsets and lengths. It exists to generate test symbols and
// synthetic licences; the fields used are those Fields returns, plus
// FirstName/MiddleName (GivenNames is split at the first space when they
// are empty).
func Encode(l *License, opt EncodeOptions) []byte {
	v := opt.Version
	if v < 1 || v > 99 {
		v = 10
	}
	iin := opt.IIN
	if iin == "" {
		iin = "636000"
	}
	kind := opt.Kind
	if kind == "" {
		kind = "DL"
	}
	country := l.Country
	if country == "" {
		country = "USA"
	}
	first, middle := l.FirstName, l.MiddleName
	if first == "" && middle == "" {
		first, middle, _ = strings.Cut(l.GivenNames, " ")
	}
	date := func(iso string) string {
		if len(iso) != 10 {
			return ""
		}
		y, m, d := iso[0:4], iso[5:7], iso[8:10]
		if v == 1 || country == "CAN" {
			return y + m + d
		}
		return m + d + y
	}
	sex := map[string]string{"M": "1", "F": "2", "X": "9"}[l.Sex]

	type el struct{ id, val string }
	var els []el
	add := func(id, val string) {
		if val != "" {
			els = append(els, el{id, val})
		}
	}
	add("DAQ", l.DocumentNumber)
	switch {
	case v == 1:
		add("DAA", strings.Trim(l.Surname+","+first+","+middle, ","))
	case v <= 3:
		add("DCS", l.Surname)
		add("DCT", strings.Trim(first+","+middle, ","))
	default:
		add("DCS", l.Surname)
		add("DAC", first)
		add("DAD", orNone(middle))
		add("DDE", truncFlag(l, "surname"))
		add("DDF", truncFlag(l, "first_name"))
		add("DDG", truncFlag(l, "middle_name"))
	}
	if v >= 2 {
		add("DCA", "D")
		add("DCB", "NONE")
		add("DCD", "NONE")
	}
	add("DBD", date(l.DateOfIssue))
	add("DBB", date(l.DateOfBirth))
	add("DBA", date(l.DateOfExpiry))
	add("DBC", sex)
	add("DAU", "070 in")
	add("DAY", "BRO")
	add("DAG", l.Street)
	add("DAI", l.City)
	add("DAJ", l.State)
	add("DAK", l.PostalCode)
	if v >= 2 {
		add("DCF", "SYN"+l.DocumentNumber)
		add("DCG", country)
	}

	sep := "\n"
	if opt.CRLF {
		sep = "\r\n"
	}
	var body strings.Builder
	body.WriteString(kind)
	for i, e := range els {
		if i > 0 {
			body.WriteString(sep)
		}
		body.WriteString(e.id + e.val)
	}
	body.WriteString("\r")
	subfiles := []struct{ typ, data string }{{kind, body.String()}}
	if opt.JurisdictionSubfile {
		subfiles = append(subfiles, struct{ typ, data string }{"ZV", "ZVZVA01\r"})
	}

	prefix := "@\n\x1e\r"
	if opt.NoComplianceIndicator {
		prefix = ""
	}
	header := prefix + "ANSI " + iin + fmt.Sprintf("%02d", v)
	if v >= 2 {
		header += "01" // jurisdiction version
	}
	header += fmt.Sprintf("%02d", len(subfiles))
	offset := len(header) + 10*len(subfiles)
	var out strings.Builder
	out.WriteString(header)
	for _, s := range subfiles {
		off := offset
		if opt.WrongOffsets {
			off += 3
		}
		fmt.Fprintf(&out, "%s%04d%04d", s.typ, off, len(s.data))
		offset += len(s.data)
	}
	for _, s := range subfiles {
		out.WriteString(s.data)
	}
	return []byte(out.String())
}

func orNone(s string) string {
	if s == "" {
		return "NONE"
	}
	return s
}

func truncFlag(l *License, name string) string {
	for _, n := range l.NameTruncated {
		if n == name {
			return "T"
		}
	}
	return "N"
}
