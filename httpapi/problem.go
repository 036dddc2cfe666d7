package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/kycgate/kycgate"
	"github.com/kycgate/kycgate/reasons"
)

// Problem is an RFC 9457 problem detail with kycgate's stable code.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Code is stable: clients branch on it, never on the title or detail.
	Code string `json:"code"`
	// RetryAt is when a locked applicant may try again (TOO_MANY_ATTEMPTS).
	RetryAt *time.Time `json:"retry_at,omitempty"`
	// Fix tells the applicant what to do, in the request's locale.
	Fix string `json:"fix,omitempty"`
	// Errors lists invalid fields of a request body.
	Errors []FieldError `json:"errors,omitempty"`
}

// FieldError names one invalid field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ValidationError carries field errors; it maps to 422 with the code of the
// first error (DOCUMENT_NUMBER_INVALID or INVALID_INPUT).
type ValidationError struct{ Fields []FieldError }

func (e *ValidationError) Error() string {
	if len(e.Fields) == 0 {
		return "invalid input"
	}
	return e.Fields[0].Field + ": " + e.Fields[0].Message
}

var statusByCode = map[string]int{
	kycgate.ErrNotFound:                     http.StatusNotFound,
	kycgate.ErrConflict:                     http.StatusConflict,
	kycgate.ErrInvalidInput:                 http.StatusBadRequest,
	kycgate.ErrUnauthorized:                 http.StatusUnauthorized,
	kycgate.ErrForbidden:                    http.StatusForbidden,
	string(kycgate.TooManyAttempts):         http.StatusTooManyRequests,
	string(kycgate.ImageInvalid):            http.StatusBadRequest,
	string(kycgate.ImageTooLarge):           http.StatusRequestEntityTooLarge,
	string(kycgate.DocumentNumberInvalid):   http.StatusUnprocessableEntity,
	"BODY_TOO_LARGE":                        http.StatusRequestEntityTooLarge,
	"UNSUPPORTED_MEDIA_TYPE":                http.StatusUnsupportedMediaType,
	"IDEMPOTENCY_KEY_REUSED":                http.StatusUnprocessableEntity,
	string(kycgate.DocumentTypeNotAccepted): http.StatusUnprocessableEntity,
}

// writeError answers err as problem+json. Errors without a domain code are
// internal: logged by the caller, answered without detail.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := Problem{Code: kycgate.ErrInternal, Status: http.StatusInternalServerError, Title: "Internal error"}
	var ve *ValidationError
	var de *kycgate.Error
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &ve):
		p.Code, p.Status, p.Title, p.Errors = kycgate.ErrInvalidInput, http.StatusUnprocessableEntity, "Invalid input", ve.Fields
		for _, f := range ve.Fields {
			if f.Code == string(kycgate.DocumentNumberInvalid) {
				p.Code = f.Code
			}
		}
		p.Detail = ve.Error()
	case errors.As(err, &mbe):
		p.Code, p.Status, p.Title = "BODY_TOO_LARGE", http.StatusRequestEntityTooLarge, "Request body too large"
		p.Detail = "the request body is larger than " + strconv.FormatInt(mbe.Limit, 10) + " bytes"
	case errors.As(err, &de):
		p.Code, p.Detail = de.Code, de.Message
		if s, ok := statusByCode[de.Code]; ok {
			p.Status = s
		} else {
			p.Status = http.StatusBadRequest
		}
		p.Title = http.StatusText(p.Status)
		if !de.RetryAt.IsZero() {
			t := de.RetryAt.UTC()
			p.RetryAt = &t
			secs := int(time.Until(t).Seconds()) + 1
			if secs < 1 {
				secs = 1
			}
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
	}
	if e, ok := reasons.Lookup(kycgate.ReasonCode(p.Code)); ok {
		txt := reasons.Describe(kycgate.Finding{Code: e.Code}, r.Header.Get("Accept-Language"))
		p.Title, p.Fix = txt.Message, txt.Fix
	}
	p.Type = "https://kycgate.dev/problems/" + p.Code
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
