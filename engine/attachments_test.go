package engine_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/engine/mongostore"
	"github.com/pishkhan/pishkhan/engine/mongostore/storetest"
	"github.com/pishkhan/pishkhan/forms"
)

// claimForm has a receipt field and a list of photos shown as file
// fields: they hold upload ids.
const claimForm = `{"key": "claim", "title": {"en": "Claim"}, "schema": {"type": "object", "properties": {
	"what": {"type": "string"}, "receipt": {"type": "string"},
	"photos": {"type": "array", "items": {"type": "string"}}}},
	"ui": {"fields": {"receipt": {"widget": "file"}, "photos": {"widget": "file"}}}}`

// pngBytes is n bytes that sniff as a PNG image.
func pngBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	_, _ = rand.Read(b)
	copy(b, "\x89PNG\x0D\x0A\x1A\x0A")
	return b
}

func upload(t *testing.T, reqs *engine.Requests, by, name string, body []byte) *engine.Attachment {
	t.Helper()
	a, err := reqs.Upload(context.Background(), engine.UploadParams{Name: name, By: by, Body: bytes.NewReader(body)})
	if err != nil {
		t.Fatalf("upload %s: %v", name, err)
	}
	return a
}

func readAttachment(t *testing.T, reqs *engine.Requests, r *engine.Request, id string) (engine.Attachment, []byte) {
	t.Helper()
	a, body, err := reqs.OpenAttachment(context.Background(), r, id)
	if err != nil {
		t.Fatalf("open %s: %v", id, err)
	}
	defer body.Close()
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read %s: %v", id, err)
	}
	return a, b
}

func countFiles(t *testing.T, s *mongostore.Store) (files, chunks int64) {
	t.Helper()
	files, err := storetest.Count(t, s, "attachments.files")
	if err != nil {
		t.Fatal(err)
	}
	chunks, err = storetest.Count(t, s, "attachments.chunks")
	if err != nil {
		t.Fatal(err)
	}
	return files, chunks
}

// Uploads are attached at submission, by the form's file fields and by
// the list, and read back byte for byte; only the uploader attaches their
// own loose uploads, once.
func TestAttachAtSubmissionAndReadBack(t *testing.T) {
	t.Parallel()
	defs, reqs, store := services(t)
	publish(t, defs, engine.KindForm, "claim", json.RawMessage(claimForm))
	ctx := context.Background()
	big := pngBytes(t, 2<<20+12345) // three chunks
	receipt := upload(t, reqs, "sara", "../../رسید خرید.png", big)
	photo := upload(t, reqs, "sara", "photo.png", pngBytes(t, 1000))
	note := upload(t, reqs, "sara", "note.txt", []byte("Bought on 2026-11-20 at the Tehran branch.\n"))
	reza := upload(t, reqs, "reza", "reza.txt", []byte("not sara's"))
	sum := sha256.Sum256(big)
	if receipt.Name != "رسید خرید.png" || receipt.Type != "image/png" || receipt.Size != int64(len(big)) || receipt.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("receipt: %+v", receipt)
	}
	if note.Type != "text/plain; charset=utf-8" {
		t.Errorf("note sniffed as %q", note.Type)
	}

	// Someone else's upload, in a field or in the list, is refused, and
	// nothing is claimed.
	data := `{"what": "refund", "receipt": "` + reza.ID + `", "photos": ["` + photo.ID + `"]}`
	_, err := reqs.Submit(ctx, engine.SubmitParams{Form: "claim", Data: decode(t, data), Requester: "sara"})
	var ve *forms.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Pointer != "/receipt" || ve.Errors[0].Code != "attachment" {
		t.Fatalf("someone else's upload in a field: %v", err)
	}
	if _, err := reqs.Submit(ctx, engine.SubmitParams{Form: "claim", Data: decode(t, `{}`), Requester: "sara", Attachments: []string{reza.ID}}); !errors.Is(err, engine.ErrInvalid) {
		t.Fatalf("someone else's upload in the list: %v", err)
	}

	data = `{"what": "refund", "receipt": "` + receipt.ID + `", "photos": ["` + photo.ID + `"]}`
	r, err := reqs.Submit(ctx, engine.SubmitParams{Form: "claim", Data: decode(t, data), Requester: "sara", Attachments: []string{note.ID, photo.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Attachments) != 3 {
		t.Fatalf("attachments: %+v", r.Attachments)
	}
	fields := map[string]string{}
	for _, a := range r.Attachments {
		fields[a.ID] = a.Field
		if a.By != "sara" || a.Internal || a.Message != "" {
			t.Errorf("attachment %+v", a)
		}
	}
	if fields[receipt.ID] != "/receipt" || fields[photo.ID] != "/photos/0" || fields[note.ID] != "" {
		t.Errorf("fields: %v", fields)
	}
	stored := get(t, reqs, r.ID)
	a, got := readAttachment(t, reqs, stored, receipt.ID)
	if !bytes.Equal(got, big) || a.SHA256 != receipt.SHA256 {
		t.Errorf("read back %d bytes (sha %s), want %d", len(got), a.SHA256, len(big))
	}
	if f, err := store.FileGet(ctx, receipt.ID); err != nil || !f.Bound || f.Request != r.ID {
		t.Errorf("stored file: %+v %v", f, err)
	}
	// Attached once: neither again, nor by its id as a loose upload.
	if _, err := reqs.Submit(ctx, engine.SubmitParams{Form: "claim", Data: decode(t, `{}`), Requester: "sara", Attachments: []string{note.ID}}); !errors.Is(err, engine.ErrConflict) {
		t.Errorf("attaching twice: %v", err)
	}
	if _, _, err := reqs.OpenUpload(ctx, note.ID, "sara"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("an attached file read as a loose upload: %v", err)
	}
	if _, _, err := reqs.OpenAttachment(ctx, stored, reza.ID); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("a file the request does not have: %v", err)
	}
	// A loose upload is its uploader's alone.
	if _, _, err := reqs.OpenUpload(ctx, reza.ID, "sara"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("someone else's loose upload: %v", err)
	}
	if _, body, err := reqs.OpenUpload(ctx, reza.ID, "reza"); err != nil {
		t.Errorf("own loose upload: %v", err)
	} else {
		body.Close()
	}
}

// Files of a type not accepted, too large or empty are refused before or
// while they are read, and leave nothing in the store.
func TestUploadRefusals(t *testing.T) {
	t.Parallel()
	_, reqs, store := services(t)
	reqs.UseAttachmentLimits(engine.AttachmentLimits{MaxSize: 1<<20 + 100})
	ctx := context.Background()
	for _, c := range []struct {
		name string
		body []byte
		want error
	}{
		{"page.html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), engine.ErrFileType},
		{"logo.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), engine.ErrFileType},
		{"run.exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 600)...), engine.ErrFileType},
		{"legacy.bin", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...), engine.ErrFileType},
		{"big.png", pngBytes(t, 3<<20), engine.ErrTooLarge},
		{"just-over.png", pngBytes(t, 1<<20+101), engine.ErrTooLarge},
		{"empty.txt", nil, engine.ErrInvalid},
	} {
		_, err := reqs.Upload(ctx, engine.UploadParams{Name: c.name, By: "sara", Body: bytes.NewReader(c.body)})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if c.want == engine.ErrTooLarge && !strings.Contains(err.Error(), "1 MiB") && !strings.Contains(err.Error(), "1048676 bytes") {
			t.Errorf("%s: the error does not say the limit: %v", c.name, err)
		}
	}
	if files, chunks := countFiles(t, store); files != 0 || chunks != 0 {
		t.Errorf("refused uploads left %d files and %d chunks", files, chunks)
	}
	// Exactly at the limit is fine; an SVG without an XML declaration
	// sniffs as plain text, and is kept (and served) as such; an Excel
	// workbook in the legacy format is named by its extension.
	for _, c := range []struct {
		name string
		body []byte
		want string
	}{
		{"at-limit.png", pngBytes(t, 1<<20+100), "image/png"},
		{"drawing.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "text/plain; charset=utf-8"},
		{"old.xls", append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...), "application/vnd.ms-excel"},
		{"list.csv", []byte("name,amount\nsara,12\n"), "text/csv; charset=utf-8"},
	} {
		if a := upload(t, reqs, "sara", c.name, c.body); a.Type != c.want {
			t.Errorf("%s sniffed as %q, want %q", c.name, a.Type, c.want)
		}
	}
}

// Files sent with messages are recorded with their message; a note's are
// internal. A channel attaches a file to a request in one call.
func TestAttachWithMessages(t *testing.T) {
	t.Parallel()
	reqs, _, _ := deskSetup(t, stdPolicy, orderType)
	ctx := context.Background()
	r, err := reqs.Submit(ctx, engine.SubmitParams{Type: "order", Data: decode(t, `{}`), Requester: "sara", Channel: engine.ChannelPortal})
	if err != nil {
		t.Fatal(err)
	}
	logs := upload(t, reqs, "reza", "logs.txt", []byte("error 42 at 09:00"))
	if r, err = reqs.Note(ctx, r.ID, engine.NoteParams{Actor: "reza", Body: "See the logs.", Attachments: []string{logs.ID}}); err != nil {
		t.Fatal(err)
	}
	invoice := upload(t, reqs, r.Owner, "invoice.pdf", []byte("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj"))
	// A failed reply (not the owner) leaves the upload free to attach.
	other := "reza"
	if r.Owner == "reza" {
		other = "ali"
	}
	if _, err := reqs.Reply(ctx, r.ID, engine.ReplyParams{Actor: other, Body: "Here.", Attachments: []string{invoice.ID}}); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("someone else's upload on a reply: %v", err)
	}
	if r, err = reqs.Reply(ctx, r.ID, engine.ReplyParams{Actor: r.Owner, Body: "Your invoice.", Attachments: []string{invoice.ID}}); err != nil {
		t.Fatal(err)
	}
	reply := r.Messages[len(r.Messages)-1]
	if len(reply.Attachments) != 1 || reply.Attachments[0] != invoice.ID {
		t.Errorf("reply attachments: %v", reply.Attachments)
	}
	byID := map[string]engine.Attachment{}
	for _, a := range r.Attachments {
		byID[a.ID] = a
	}
	if a := byID[logs.ID]; !a.Internal || a.Message != "m1" {
		t.Errorf("note's file: %+v", a)
	}
	if a := byID[invoice.ID]; a.Internal || a.Message != reply.ID || a.Type != "application/pdf" {
		t.Errorf("reply's file: %+v", a)
	}
	// The email channel: stored and attached at once, to a message.
	if r, err = reqs.RequesterMessage(ctx, r.ID, engine.RequesterMessageParams{Actor: "sara", Body: "Photo attached.", Channel: engine.ChannelEmail}); err != nil {
		t.Fatal(err)
	}
	m := r.Messages[len(r.Messages)-1].ID
	a, err := reqs.Upload(ctx, engine.UploadParams{Name: "photo.png", By: "sara", Body: bytes.NewReader(pngBytes(t, 5000)), Request: r.ID, Message: m})
	if err != nil {
		t.Fatal(err)
	}
	r = get(t, reqs, r.ID)
	if got, body := readAttachment(t, reqs, r, a.ID); got.Message != m || len(body) != 5000 {
		t.Errorf("mailed file: %+v (%d bytes)", got, len(body))
	}
	if _, err := reqs.Upload(ctx, engine.UploadParams{Name: "x.png", By: "sara", Body: bytes.NewReader(pngBytes(t, 10)), Request: r.ID, Message: "m99"}); !errors.Is(err, engine.ErrInvalid) {
		t.Errorf("a message the request lacks: %v", err)
	}
}

// The sweep deletes uploads left loose for a day, and settles files a
// crash left claimed: bound if their request lists them, else deleted.
func TestSweepUploads(t *testing.T) {
	t.Parallel()
	defs, reqs, store := services(t)
	publish(t, defs, engine.KindForm, "claim", json.RawMessage(claimForm))
	c := &clock{now: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	engine.SetClock(reqs, c.Now)
	ctx := context.Background()
	loose := upload(t, reqs, "sara", "loose.txt", []byte("never attached"))
	kept := upload(t, reqs, "sara", "kept.txt", []byte("attached"))
	r, err := reqs.Submit(ctx, engine.SubmitParams{Form: "claim", Data: decode(t, `{}`), Requester: "sara", Attachments: []string{kept.ID}})
	if err != nil {
		t.Fatal(err)
	}
	// A crash: one file claimed for a request that was never written,
	// one claimed for the request above and listed by it but not marked.
	lost := upload(t, reqs, "sara", "lost.txt", []byte("claimed, then the process died"))
	listed := upload(t, reqs, "sara", "listed.txt", []byte("listed, not marked"))
	for id, request := range map[string]string{lost.ID: "NOSUCHREQ1", listed.ID: r.ID} {
		if err := store.FileClaim(ctx, &engine.FileClaimParams{ID: id, By: "sara", To: request, At: c.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.RequestUpdate(ctx, withAttachment(get(t, reqs, r.ID), listed), r.Revision, engine.LeaseNone); err != nil {
		t.Fatal(err)
	}
	c.Add(23 * time.Hour)
	if n, err := reqs.SweepUploads(ctx); err != nil || n != 0 {
		t.Fatalf("sweep before a day: %d %v", n, err)
	}
	c.Add(2 * time.Hour)
	if n, err := reqs.SweepUploads(ctx); err != nil || n != 2 {
		t.Fatalf("sweep: deleted %d, want 2: %v", n, err)
	}
	for id, want := range map[string]bool{loose.ID: false, lost.ID: false, kept.ID: true, listed.ID: true} {
		f, err := store.FileGet(ctx, id)
		if want != (err == nil) || err == nil && !f.Bound {
			t.Errorf("file %s after the sweep: %+v %v", id, f, err)
		}
	}
	if files, chunks := countFiles(t, store); files != 2 || chunks != 2 {
		t.Errorf("after the sweep: %d files, %d chunks", files, chunks)
	}
	// A loose upload is also discarded by its uploader, and only by them.
	gone := upload(t, reqs, "sara", "gone.txt", []byte("changed my mind"))
	if err := reqs.DiscardUpload(ctx, gone.ID, "reza"); !errors.Is(err, engine.ErrNotFound) {
		t.Errorf("discarding someone else's upload: %v", err)
	}
	if err := reqs.DiscardUpload(ctx, gone.ID, "sara"); err != nil {
		t.Errorf("discard: %v", err)
	}
}

func withAttachment(r *engine.Request, a *engine.Attachment) *engine.Request {
	r.Attachments = append(r.Attachments, *a)
	r.Revision++
	return r
}

func TestCleanFileName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`C:\Users\sara\report.pdf`:     "report.pdf",
		"../../etc/passwd":             "passwd",
		"invoice\u202Efdp.exe":         "invoicefdp.exe",
		"  .hidden.  ":                 "hidden",
		"line\nbreak.txt":              "linebreak.txt",
		"":                             "file",
		"نامهٔ درخواست.pdf":            "نامهٔ درخواست.pdf",
		strings.Repeat("ب", 150) + ".": strings.Repeat("ب", 100),
	} {
		if got := engine.CleanFileName(in); got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestResubmissionKeepsTheRequestsFiles: returned for changes, the
// requester resubmits with the file fields holding the request's own
// files; a new upload named there is refused on its field (it would be
// listed but never attached, and swept away), not silently lost.
func TestResubmissionKeepsTheRequestsFiles(t *testing.T) {
	t.Parallel()
	defs, reqs, _ := services(t)
	publish(t, defs, engine.KindForm, "claim", json.RawMessage(claimForm))
	publish(t, defs, engine.KindWorkflow, "claim", json.RawMessage(`{"key": "claim", "title": {"en": "Claim"}, "form": "claim",
		"nodes": `+approvalNodes(`{"id": "approve", "kind": "approval", "approvers": "['maryam']"}`)+`, "edges": `+approvalEdges+`}`))
	ctx := context.Background()
	receipt := upload(t, reqs, "sara", "receipt.png", pngBytes(t, 100))
	r, err := reqs.Submit(ctx, engine.SubmitParams{Form: "claim", Data: decode(t, `{"what": "refund", "receipt": "`+receipt.ID+`"}`), Requester: "sara"})
	if err != nil {
		t.Fatal(err)
	}
	r, err = reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: openTaskAt(t, r, "approve").ID, Outcome: "return", Actor: "maryam"})
	if err != nil {
		t.Fatal(err)
	}
	resubmit := openTaskAt(t, r, "approve")
	newer := upload(t, reqs, "sara", "receipt2.png", pngBytes(t, 200))
	_, err = reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: resubmit.ID, Actor: "sara",
		Data: decode(t, `{"what": "refund", "receipt": "`+newer.ID+`"}`).(map[string]any)})
	var ve *forms.ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Pointer != "/receipt" || ve.Errors[0].Code != "attachment" {
		t.Fatalf("a resubmission naming a new upload: %v", err)
	}
	r, err = reqs.Apply(ctx, r.ID, engine.Signal{Kind: engine.SignalComplete, Task: resubmit.ID, Actor: "sara",
		Data: decode(t, `{"what": "a refund, please", "receipt": "`+receipt.ID+`"}`).(map[string]any)})
	if err != nil || r.Data["what"] != "a refund, please" {
		t.Fatalf("a resubmission keeping the request's file: %v", err)
	}
}

// TestFilesAreNamedAsWhatTheyAre: a file saved from Pishkhan opens as its
// sniffed type, whatever it was called: scripts that sniff as text get
// ".txt" added; names that fit their type stay.
func TestFilesAreNamedAsWhatTheyAre(t *testing.T) {
	t.Parallel()
	_, reqs, _ := services(t)
	for _, tc := range []struct {
		name string
		body []byte
		want string
	}{
		{"run.bat", []byte("@echo off\r\ndel /q *\r\n"), "run.bat.txt"},
		{"page.html", []byte("just words, then <script>alert(1)</script>"), "page.html.txt"},
		{"notes.txt", []byte("plain notes"), "notes.txt"},
		{"Photo.PNG", pngBytes(t, 100), "Photo.PNG"},
		{"photo.exe", pngBytes(t, 100), "photo.exe.png"},
		{"data.csv", []byte("a,b\n1,2\n"), "data.csv"},
	} {
		if got := upload(t, reqs, "sara", tc.name, tc.body); got.Name != tc.want {
			t.Errorf("%s stored as %q, want %q", tc.name, got.Name, tc.want)
		}
	}
}

// lostAnswerStore stores a request, then answers as if the connection
// dropped: the write was made, the caller is told it failed.
type lostAnswerStore struct{ *mongostore.Store }

func (s lostAnswerStore) RequestInsert(ctx context.Context, r *engine.Request) error {
	if err := s.Store.RequestInsert(ctx, r); err != nil {
		return err
	}
	return errors.New("connection reset after the write")
}

// TestUploadsStayWithARequestStoredDespiteAnError: a submission whose
// insert was made but answered with an error keeps its files bound to the
// stored request, rather than releasing them to be swept away.
func TestUploadsStayWithARequestStoredDespiteAnError(t *testing.T) {
	t.Parallel()
	store := storetest.Store(t)
	defs := engine.NewDefinitions(lostAnswerStore{store}, nil)
	reqs := engine.NewRequests(lostAnswerStore{store}, defs)
	publish(t, defs, engine.KindForm, "claim", json.RawMessage(claimForm))
	ctx := context.Background()
	receipt := upload(t, reqs, "sara", "receipt.png", pngBytes(t, 100))
	if _, err := reqs.Submit(ctx, engine.SubmitParams{Form: "claim", Data: decode(t, `{"receipt": "`+receipt.ID+`"}`), Requester: "sara"}); err == nil {
		t.Fatal("the lost answer was not reported")
	}
	f, err := store.FileGet(ctx, receipt.ID)
	if err != nil || f.Request == "" || !f.Bound {
		t.Fatalf("the file of the stored request: %+v %v", f, err)
	}
	if r, err := store.RequestGet(ctx, f.Request); err != nil || len(r.Attachments) != 1 {
		t.Errorf("the stored request: %v", err)
	}
}
