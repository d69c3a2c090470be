package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
)

// uploadAs posts body as a file named name in a multipart body, claiming
// claimed as its type (the server sniffs its own).
func (c *crew) uploadAs(user, name, claimed string, body []byte) response {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("note", "parts other than file are skipped")
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
	h.Set("Content-Type", claimed)
	part, err := w.CreatePart(h)
	if err != nil {
		c.t.Fatal(err)
	}
	_, _ = part.Write(body)
	_ = w.Close()
	return c.raw(user, "POST", "/api/v1/uploads", w.FormDataContentType(), buf.Bytes())
}

// raw sends a body of any type as user.
func (c *crew) raw(user, method, path, contentType string, body []byte) response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if tok, ok := c.tokens[user]; ok {
		req.Header.Set("Authorization", "Bearer "+tok)
	} else if tok, ok := defaultTokens.Load(c.srv.URL); ok {
		req.Header.Set("Authorization", "Bearer "+tok.(string))
	}
	res, err := c.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

func randomPNG(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	copy(b, "\x89PNG\x0D\x0A\x1A\x0A")
	return b
}

// checkDownload checks that a file came back whole, as a download that
// no browser renders.
func checkDownload(t *testing.T, r response, want []byte, contentType string) {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("download: %d %s", r.status, r.raw)
	}
	if !bytes.Equal(r.raw, want) {
		t.Errorf("downloaded %d bytes, want %d", len(r.raw), len(want))
	}
	sum := sha256.Sum256(r.raw)
	for h, v := range map[string]string{
		"Content-Type":            contentType,
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "sandbox; default-src 'none'",
		"ETag":                    `"` + hex.EncodeToString(sum[:]) + `"`,
	} {
		if got := r.header.Get(h); got != v {
			t.Errorf("%s: %q, want %q", h, got, v)
		}
	}
	if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; ") {
		t.Errorf("Content-Disposition %q", cd)
	}
}

// TestAttachmentsOverHTTP: a requester uploads files (one larger than the
// JSON body limit, one with a Persian name), attaches them at submission
// and reads them back; an agent's note carries a file the requester never
// sees; a requester reads no other requester's files.
func TestAttachmentsOverHTTP(t *testing.T) {
	c := newCrew(t)
	photo := randomPNG(2<<20 + 321)
	up := c.uploadAs("sara", "عکس خرابی.png", "text/html", photo)
	if up.status != 201 {
		t.Fatalf("upload: %d %s", up.status, up.raw)
	}
	sum := sha256.Sum256(photo)
	id := up.body["id"].(string)
	if up.body["type"] != "image/png" || up.body["sha256"] != hex.EncodeToString(sum[:]) || up.body["name"] != "عکس خرابی.png" ||
		up.header.Get("Location") != "/api/v1/uploads/"+id {
		t.Errorf("upload answered %s", up.raw)
	}
	// Loose, it is sara's alone.
	checkDownload(t, c.as("sara", "GET", "/api/v1/uploads/"+id, nil), photo, "image/png")
	c.must(404, "reza", "GET", "/api/v1/uploads/"+id, nil)
	c.must(404, "reza", "DELETE", "/api/v1/uploads/"+id, nil)
	csv := []byte("order,amount\n123456,250000\n")
	csvUp := c.uploadAs("sara", "orders.csv", "application/octet-stream", csv)
	if csvUp.status != 201 || csvUp.body["type"] != "text/csv; charset=utf-8" {
		t.Fatalf("csv upload: %d %s", csvUp.status, csvUp.raw)
	}

	complaint := `{"type": "complaint", "channel": "portal", "attachments": ["` + id + `", "` + csvUp.body["id"].(string) + `"],
		"data": {"contact": {"name": "Sara Ahmadi", "email": "sara@example.com"},
		"incidentDate": "2026-11-20", "department": "billing", "description": "I was charged twice for the same order last week."}}`
	reqID := c.must(201, "sara", "POST", "/api/v1/requests", complaint).body["id"].(string)
	c.must(404, "sara", "GET", "/api/v1/uploads/"+id, nil) // attached now: read through the request
	download := "/api/v1/requests/" + reqID + "/attachments/" + id
	got := c.as("sara", "GET", download, nil)
	checkDownload(t, got, photo, "image/png")
	if cd := got.header.Get("Content-Disposition"); cd != `attachment; filename="_ _.png"; filename*=UTF-8''%D8%B9%DA%A9%D8%B3%20%D8%AE%D8%B1%D8%A7%D8%A8%DB%8C.png` {
		t.Errorf("Content-Disposition %q", cd)
	}
	checkDownload(t, c.as("ali", "GET", download, nil), photo, "image/png")
	checkDownload(t, c.as("sara", "GET", "/api/v1/requests/"+reqID+"/attachments/"+csvUp.body["id"].(string), nil), csv, "text/csv; charset=utf-8")

	// An agent's note with a file: staff read it, the requester does not
	// know it exists.
	logs := c.uploadAs("reza", "gateway.log", "text/plain", []byte("charge 123456 sent twice at 10:02"))
	c.must(201, "reza", "POST", "/api/v1/requests/"+reqID+"/messages", `{"kind": "note", "body": "Duplicate in the gateway log.", "attachments": ["`+logs.body["id"].(string)+`"]}`)
	noteFile := "/api/v1/requests/" + reqID + "/attachments/" + logs.body["id"].(string)
	c.must(200, "maryam", "GET", noteFile, nil)
	if r := c.as("sara", "GET", noteFile, nil); r.status != 404 || strings.Contains(string(r.raw), "gateway") {
		t.Errorf("the requester reads a note's file: %d %s", r.status, r.raw)
	}
	for name, v := range map[string]response{
		"GET request":  c.must(200, "sara", "GET", "/api/v1/requests/"+reqID, nil),
		"proven track": c.must(200, "anonymous", "POST", "/api/v1/track/"+reqID, `{"email": "sara@example.com"}`),
	} {
		if strings.Contains(string(v.raw), logs.body["id"].(string)) || strings.Contains(string(v.raw), "gateway.log") {
			t.Errorf("%s shows the note's file: %s", name, v.raw)
		}
		if !strings.Contains(string(v.raw), id) {
			t.Errorf("%s does not list the requester's file: %s", name, v.raw)
		}
	}
	// The owner replies with a file the requester may read.
	answer := c.uploadAs("ali", "refund.pdf", "application/pdf", []byte("%PDF-1.7\nrefund of order 123456"))
	c.must(201, "ali", "POST", "/api/v1/requests/"+reqID+"/messages", `{"kind": "reply", "body": "Refunded, see the receipt.", "attachments": ["`+answer.body["id"].(string)+`"]}`)
	c.must(200, "sara", "GET", "/api/v1/requests/"+reqID+"/attachments/"+answer.body["id"].(string), nil)
	// Nobody attaches someone else's upload, nor the same upload twice.
	other := c.uploadAs("reza", "other.txt", "text/plain", []byte("reza's"))
	c.must(400, "sara", "POST", "/api/v1/requests/"+reqID+"/messages", `{"body": "Mine?", "attachments": ["`+other.body["id"].(string)+`"]}`)
	c.must(409, "sara", "POST", "/api/v1/requests/"+reqID+"/messages", `{"body": "Again", "attachments": ["`+id+`"]}`)

	// Another requester reads none of sara's files.
	c.must(201, "admin", "POST", "/api/v1/users", `{"username": "nima", "password": "nima-password", "name": "Nima"}`)
	c.must(200, "admin", "PUT", "/api/v1/users/nima/roles", `[{"role": "requester", "domain": "*"}]`)
	c.tokens["nima"] = login(t, c.srv, "nima", "nima-password")
	c.must(403, "nima", "GET", download, nil)
	c.must(404, "nima", "GET", "/api/v1/uploads/"+other.body["id"].(string), nil)

	// What is not a file: no multipart, no file part.
	if r := c.raw("sara", "POST", "/api/v1/uploads", "image/png", photo); r.status != 415 {
		t.Errorf("a bare body: %d %s", r.status, r.raw)
	}
	if r := c.raw("sara", "POST", "/api/v1/uploads", "multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhi\r\n--x--\r\n")); r.status != 400 {
		t.Errorf("no file part: %d %s", r.status, r.raw)
	}
	// HTML and SVG: HTML is refused; an SVG without an XML declaration is
	// kept as the plain text it sniffs as, and comes back as a download.
	html := c.uploadAs("sara", "page.html", "image/png", []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"))
	if html.status != 415 || html.body["type"] != "urn:pishkhan:problem:file-type-refused" || !strings.Contains(string(html.raw), "text/html") {
		t.Errorf("HTML upload: %d %s", html.status, html.raw)
	}
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	svgUp := c.uploadAs("sara", "x.svg", "image/svg+xml", svg)
	if svgUp.status != 201 {
		t.Fatalf("svg upload: %d %s", svgUp.status, svgUp.raw)
	}
	checkDownload(t, c.as("sara", "GET", "/api/v1/uploads/"+svgUp.body["id"].(string), nil), svg, "text/plain; charset=utf-8")
	c.must(204, "sara", "DELETE", "/api/v1/uploads/"+svgUp.body["id"].(string), nil)
	c.must(404, "sara", "GET", "/api/v1/uploads/"+svgUp.body["id"].(string), nil)
}

// TestUploadLimitsOverHTTP: a file over the configured size is 413 and
// leaves no chunk behind; a type an administrator allowed that browsers
// would render is served as application/octet-stream.
func TestUploadLimitsOverHTTP(t *testing.T) {
	a, srv := testApp(t, func(c *Config) {
		c.Demo, c.AttachmentMax, c.AttachTypes = true, "1M", "image/png, text/html"
	})
	c := &crew{t: t, srv: srv, tokens: map[string]string{"sara": login(t, srv, "sara", "sara-demo")}}
	big := c.uploadAs("sara", "big.png", "image/png", randomPNG(1<<20+1))
	if big.status != 413 || big.body["type"] != "urn:pishkhan:problem:file-too-large" || !strings.Contains(string(big.raw), "1 MiB") {
		t.Errorf("too large: %d %s", big.status, big.raw)
	}
	huge := c.uploadAs("sara", "huge.png", "image/png", randomPNG(3<<20))
	if huge.status != 413 {
		t.Errorf("far too large: %d %s", huge.status, huge.raw)
	}
	// A body cut short (the client went away) is the client's fault, and
	// leaves nothing either.
	cut := append([]byte("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.png\"\r\n\r\n"), randomPNG(600<<10)...)
	if r := c.raw("sara", "POST", "/api/v1/uploads", "multipart/form-data; boundary=x", cut); r.status != 400 {
		t.Errorf("a body cut short: %d %s", r.status, r.raw)
	}
	for _, coll := range []string{"attachments.files", "attachments.chunks"} {
		if n, err := a.store.Database().Collection(coll).CountDocuments(context.Background(), map[string]any{}); err != nil || n != 0 {
			t.Errorf("%s after refused uploads: %d %v", coll, n, err)
		}
	}
	if r := c.uploadAs("sara", "notes.txt", "text/plain", []byte("plain text is not allowed here")); r.status != 415 {
		t.Errorf("a type not configured: %d %s", r.status, r.raw)
	}
	page := []byte("<html><script>alert(1)</script></html>")
	up := c.uploadAs("sara", "page.html", "text/html", page)
	if up.status != 201 {
		t.Fatalf("allowed html: %d %s", up.status, up.raw)
	}
	checkDownload(t, c.as("sara", "GET", "/api/v1/uploads/"+up.body["id"].(string), nil), page, "application/octet-stream")
}
