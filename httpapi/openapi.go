package httpapi

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// OpenAPI returns the OpenAPI 3.1 document of the API, generated from the
// route table and the request and response types, so the document cannot
// drift from the handlers.
func (s *Server) OpenAPI() map[string]any {
	g := &schemaGen{schemas: map[string]any{}}
	paths := map[string]any{}
	for _, rt := range s.routes() {
		op := map[string]any{
			"summary":     rt.summary,
			"operationId": operationID(rt),
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
		}
		if rt.method == "POST" {
			params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header", "required": false,
				"description": "Replays of the key return the first response unchanged.", "schema": map[string]any{"type": "string", "maxLength": 255}})
		}
		if params != nil {
			op["parameters"] = params
		}
		switch rt.request.(type) {
		case nil:
		case multipartBody:
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"multipart/form-data": map[string]any{"schema": multipartSchema(rt.path)}}}
		default:
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.request))}}}
		}
		responses := map[string]any{
			strconv.Itoa(rt.status): map[string]any{"description": "OK", "content": map[string]any{
				"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.response))}}},
			"default": map[string]any{"description": "Error (RFC 9457)", "content": map[string]any{
				"application/problem+json": map[string]any{"schema": g.schema(reflect.TypeOf(Problem{}))}}},
		}
		op["responses"] = responses
		switch rt.auth {
		case authOperator:
			op["security"] = []any{map[string]any{"apiKey": []any{}}}
		case authApplicant:
			op["security"] = []any{map[string]any{"apiKey": []any{}}, map[string]any{"applicantToken": []any{}}}
		}
		item, _ := paths[rt.path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.path] = item
		}
		item[strings.ToLower(rt.method)] = op
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "kycgate", "version": "1",
			"description": "Identity verification: applicants, submissions, decisions with reasons, notices."},
		"paths": paths,
		"components": map[string]any{
			"schemas": g.schemas,
			"securitySchemes": map[string]any{
				"apiKey":         map[string]any{"type": "http", "scheme": "bearer", "description": "Operator API key (kg_…), from `kycgate apikey create`."},
				"applicantToken": map[string]any{"type": "http", "scheme": "bearer", "description": "Applicant-scoped token (kga_…), from POST /v1/applicants/{id}/tokens."},
			},
		},
	}
}

var pathParam = regexp.MustCompile(`\{(\w+)\}`)

func operationID(rt route) string {
	parts := []string{strings.ToLower(rt.method)}
	for _, p := range strings.Split(rt.path, "/") {
		if p != "" && p != "v1" && !strings.HasPrefix(p, "{") {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "_")
}

func multipartSchema(path string) map[string]any {
	bin := map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}
	if strings.HasSuffix(path, "/precheck") {
		return map[string]any{"type": "object", "required": []any{"file"}, "properties": map[string]any{
			"kind": map[string]any{"type": "string", "enum": []any{"document_front", "document_back", "selfie", "liveness_frame", "proof_of_address"}},
			"file": bin,
		}}
	}
	return map[string]any{"type": "object", "properties": map[string]any{
		"personal_data":       map[string]any{"$ref": "#/components/schemas/PersonalData"},
		"challenge_id":        map[string]any{"type": "string"},
		"liveness_timestamps": map[string]any{"type": "array", "items": map[string]any{"type": "integer"}, "description": "capture time of each liveness_frame, ms"},
		"document_front":      bin,
		"document_back":       bin,
		"selfie":              bin,
		"liveness_frame":      map[string]any{"type": "array", "items": bin},
		"proof_of_address":    bin,
	}}
}

// schemaGen turns Go types into JSON Schema (2020-12, as OpenAPI 3.1 uses),
// registering named structs as components.
type schemaGen struct{ schemas map[string]any }

var timeType = reflect.TypeOf(time.Time{})

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return map[string]any{"type": "number"}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return map[string]any{"type": "string", "contentEncoding": "base64"}
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case t.Kind() == reflect.Struct:
		name := t.Name()
		if _, ok := g.schemas[name]; !ok {
			g.schemas[name] = map[string]any{} // placeholder breaks recursion
			props := map[string]any{}
			var required []any
			g.fields(t, props, &required, map[string]bool{})
			s := map[string]any{"type": "object", "properties": props}
			if len(required) > 0 {
				s["required"] = required
			}
			g.schemas[name] = s
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// fields adds t's JSON fields, shallower fields shadowing embedded ones as
// encoding/json does.
func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]any, seen map[string]bool) {
	var embedded []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			embedded = append(embedded, f.Type)
			continue
		}
		if name == "" {
			name = f.Name
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		props[name] = g.schema(f.Type)
		if !strings.Contains(opts, "omitempty") && f.Type.Kind() != reflect.Pointer {
			*required = append(*required, name)
		}
	}
	for _, e := range embedded {
		g.fields(e, props, required, seen)
	}
}
