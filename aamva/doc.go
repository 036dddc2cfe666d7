// Package aamva reads the PDF417 barcode on the back of North American
// driver's licences and ID cards and parses its AAMVA DL/ID payload.
package aamva
