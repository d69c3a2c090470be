package engine

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pishkhan/pishkhan/forms"
)

// Attachments: files sent with a request, a message or a form field,
// kept in the store beside the requests (Files). A file is uploaded
// first, loose and owned by its uploader; binding it to a request (at
// submission, or with a message) records it on the request, where the
// request's own access rules then govern it. Loose uploads nobody binds
// are swept away after UploadTTL.
//
// Binding without transactions: the file is claimed for the request (a
// guarded write on the file: only an unclaimed upload of the binder's own
// moves), then the request is written listing it, then the file is marked
// bound. A crash after the claim leaves a claimed, unbound file; the sweep
// looks the request up and marks the file bound if the request lists it,
// or discards it if not. So a file is never listed by two requests, and
// never deleted while a request lists it.

// Attachment is a file as a request records it.
type Attachment struct {
	ID     string `bson:"id" json:"id"`
	Name   string `bson:"name" json:"name"`
	Type   string `bson:"type" json:"type"`
	Size   int64  `bson:"size" json:"size"`
	SHA256 string `bson:"sha256" json:"sha256"`
	// By uploaded it; At is when it was attached to the request.
	By string    `bson:"by" json:"by,omitempty"`
	At time.Time `bson:"at" json:"at"`
	// Message is the message it came with, if any; Field the form field
	// (a JSON pointer into the data) that names it, if any.
	Message string `bson:"message,omitempty" json:"message,omitempty"`
	Field   string `bson:"field,omitempty" json:"field,omitempty"`
	// Internal: attached to an internal note; the requester never sees it.
	Internal bool `bson:"internal,omitempty" json:"internal,omitempty"`
}

// File is a stored file as the store describes it.
type File struct {
	ID     string
	Name   string
	Type   string
	Size   int64
	SHA256 string
	By     string
	At     time.Time
	// Request is the request the file is claimed for or bound to ("" while
	// loose), since ClaimedAt; Bound is set once that request lists it.
	Request   string
	ClaimedAt time.Time
	Bound     bool
}

// ErrTooLarge means a file is larger than attachments may be.
var ErrTooLarge = errors.New("file too large")

// ErrFileType means a file is of a type attachments may not have.
var ErrFileType = errors.New("file type not accepted")

// AttachmentLimits bound what may be attached.
type AttachmentLimits struct {
	// MaxSize is the largest file, in bytes (DefaultMaxAttachment).
	MaxSize int64
	// Types are the media types accepted, as sniffed from the file's
	// content (DefaultAttachmentTypes).
	Types []string
}

// DefaultMaxAttachment is the default largest file: 10 MiB.
const DefaultMaxAttachment = 10 << 20

// Office document types. A zip file is labelled with one of them when its
// name ends so; an OLE2 compound file (legacy Office) likewise.
var officeTypes = map[string]string{
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".odp":  "application/vnd.oasis.opendocument.presentation",
	".doc":  "application/msword",
	".xls":  "application/vnd.ms-excel",
	".ppt":  "application/vnd.ms-powerpoint",
}

// DefaultAttachmentTypes are accepted unless configured otherwise:
// images, PDF, plain text and CSV, office documents and zip archives.
// Nothing a browser would run (HTML, SVG, scripts) is among them.
var DefaultAttachmentTypes = append([]string{
	"image/png", "image/jpeg", "image/gif", "image/webp",
	"application/pdf", "text/plain", "text/csv", "application/zip",
}, officeValues()...)

func officeValues() []string {
	var out []string
	for _, t := range officeTypes {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// UploadTTL is how long a loose upload waits to be attached before the
// sweep removes it.
const UploadTTL = 24 * time.Hour

// maxAttachments bounds the files one submission or message attaches.
const maxAttachments = 20

// UseAttachmentLimits sets the limits uploads are held to.
func (r *Requests) UseAttachmentLimits(l AttachmentLimits) {
	if l.MaxSize <= 0 {
		l.MaxSize = DefaultMaxAttachment
	}
	if len(l.Types) == 0 {
		l.Types = DefaultAttachmentTypes
	}
	r.limits = l
}

// AttachmentLimits returns the limits uploads are held to.
func (r *Requests) AttachmentLimits() AttachmentLimits { return r.limits }

// UploadParams are the arguments of Upload.
type UploadParams struct {
	// Name is the file's name as its sender gave it (it is cleaned).
	Name string
	// By is who uploads: the user, or the requester an email came from.
	By string
	// Body is the file's content, read to its end.
	Body io.Reader
	// Request, if set, attaches the file to that request at once (a
	// channel that receives files with a message, such as email), which
	// has checked that By may; else the upload stays loose for By to
	// attach.
	Request string
	// Message is the message of Request the file came with, if any;
	// Internal marks it for staff only (attached to a note).
	Message  string
	Internal bool
}

// Upload stores a file, sniffing its type from its content, and refuses
// it with ErrFileType or ErrTooLarge (wrapped, saying what is wrong)
// before or while it is read; nothing is left behind then. The body is
// streamed to the store, never held whole. With p.Request set the file is
// attached to that request in the same call.
func (r *Requests) Upload(ctx context.Context, p UploadParams) (*Attachment, error) {
	if p.By == "" {
		return nil, invalidf("say who uploads the file")
	}
	limits := r.AttachmentLimits()
	name := CleanFileName(p.Name)
	head := make([]byte, 512)
	n, err := io.ReadFull(p.Body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err // the body's own error
	}
	head = head[:n]
	if n == 0 {
		return nil, invalidf("the file %s is empty", name)
	}
	typ := SniffType(head, name)
	if !slices.Contains(limits.Types, baseType(typ)) {
		return nil, fmt.Errorf("%w: the file %s is %s, which is not accepted; accepted are %s", ErrFileType, name, baseType(typ), strings.Join(limits.Types, ", "))
	}
	name = nameFor(name, typ)
	body := &limitReader{r: io.MultiReader(bytes.NewReader(head), p.Body), max: limits.MaxSize, name: name}
	now := r.now().Truncate(time.Millisecond)
	f, err := r.store.FilePut(ctx, &FilePutParams{ID: newFileID(), Name: name, Type: typ, By: p.By, At: now, Body: body})
	if err != nil {
		if body.err != nil {
			return nil, body.err // the body's own error, not the store's wrapping
		}
		return nil, err
	}
	if p.Request == "" {
		a := attachmentOf(f, now)
		return &a, nil
	}
	c := &uploadClaim{r: r, by: p.By, files: []*File{f}}
	var a Attachment
	_, err = r.changeAttaching(ctx, p.Request, c, func(req *Request, now time.Time) (*Request, error) {
		if p.Message != "" && !slices.ContainsFunc(req.Messages, func(m Message) bool { return m.ID == p.Message }) {
			return nil, invalidf("request %s has no message %s", req.ID, p.Message)
		}
		next := req.clone()
		next.attach(c.files, nil, p.Message, p.Internal, now)
		a = next.Attachments[len(next.Attachments)-1]
		return next, nil
	})
	if err != nil {
		// Never attached: the file goes (the sweep would take it anyway).
		_ = r.store.FileDiscard(context.WithoutCancel(ctx), f.ID, "")
		return nil, err
	}
	return &a, nil
}

// limitReader fails with ErrTooLarge once more than max bytes are read,
// and keeps the error that ended the read, if it was not the end.
type limitReader struct {
	r    io.Reader
	max  int64
	read int64
	name string
	err  error
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if left := l.max - l.read + 1; int64(len(p)) > left {
		p = p[:left]
	}
	n, err := l.r.Read(p)
	l.read += int64(n)
	if l.read > l.max {
		l.err = fmt.Errorf("%w: the file %s is larger than the %s an attachment may be", ErrTooLarge, l.name, FormatSize(l.max))
		return 0, l.err
	}
	if err != nil && !errors.Is(err, io.EOF) {
		l.err = err
	}
	return n, err
}

// FormatSize writes a size in bytes for people: "10 MiB", "512 KiB".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// newFileID makes a file id: 26 random base32 characters, so that an id
// cannot be guessed (access is checked all the same).
func newFileID() string { return rand.Text() }

func attachmentOf(f *File, at time.Time) Attachment {
	return Attachment{ID: f.ID, Name: f.Name, Type: f.Type, Size: f.Size, SHA256: f.SHA256, By: f.By, At: at}
}

// attach records files on the request, with the form field each is named
// in (fields, by id), the message they came with and whether they are
// internal.
func (r *Request) attach(files []*File, fields map[string]string, message string, internal bool, now time.Time) {
	for _, f := range files {
		a := attachmentOf(f, now)
		a.Message, a.Internal, a.Field = message, internal, fields[f.ID]
		r.Attachments = append(r.Attachments, a)
	}
}

func (r *Request) lists(file string) bool {
	_, ok := r.attachment(file)
	return ok
}

// attachment returns the request's attachment id, if it has it.
func (r *Request) attachment(id string) (Attachment, bool) {
	for _, a := range r.Attachments {
		if a.ID == id {
			return a, true
		}
	}
	return Attachment{}, false
}

// SniffType names a file's media type from its first bytes (up to 512),
// as http.DetectContentType does; never from what the sender claims. The
// name only tells apart types that share a container: a zip file named
// .docx is a Word document, an OLE2 file named .xls an Excel workbook, a
// text file named .csv a CSV file.
func SniffType(head []byte, name string) string {
	ext := strings.ToLower(path.Ext(name))
	if bytes.HasPrefix(head, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
		if t, ok := officeTypes[ext]; ok && !strings.HasSuffix(ext, "x") && !strings.HasPrefix(ext, ".od") {
			return t
		}
		return "application/x-ole-storage"
	}
	t := http.DetectContentType(head)
	switch base := baseType(t); {
	case base == "application/zip":
		if o, ok := officeTypes[ext]; ok && (strings.HasSuffix(ext, "x") || strings.HasPrefix(ext, ".od")) {
			return o
		}
	case base == "text/plain" && ext == ".csv":
		return strings.Replace(t, "text/plain", "text/csv", 1)
	}
	return t
}

// typeExtensions are the name endings that fit the sniffed types whose
// right ending is not in officeTypes.
var typeExtensions = map[string][]string{
	"image/png": {".png"}, "image/jpeg": {".jpg", ".jpeg"}, "image/gif": {".gif"}, "image/webp": {".webp"},
	"application/pdf": {".pdf"}, "application/zip": {".zip"},
	"text/plain": {".txt", ".log", ".md"}, "text/csv": {".csv"},
}

// nameFor makes a file's name end as its sniffed type does, so that a
// file saved from Pishkhan opens as what it is: a script that sniffs as
// text ("run.bat", "page.html") is kept as "run.bat.txt". A type with no
// known ending keeps the name as given.
func nameFor(name, typ string) string {
	base := baseType(typ)
	exts := typeExtensions[base]
	for e, t := range officeTypes {
		if t == base {
			exts = append(exts, e)
		}
	}
	if len(exts) == 0 || slices.Contains(exts, strings.ToLower(path.Ext(name))) {
		return name
	}
	return name + exts[0]
}

// baseType is a media type without its parameters.
func baseType(t string) string {
	if m, _, err := mime.ParseMediaType(t); err == nil {
		return m
	}
	return t
}

// CleanFileName makes a sender's file name safe to keep and to offer back:
// the last path element, without control or direction-changing
// characters (which disguise "exe.pdf" as "fdp.exe"), trimmed, at most 200
// bytes; "file" if nothing is left.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u200E' || r == '\u200F' {
			return -1
		}
		return r
	}, name)
	name = strings.Trim(name, " .")
	for len(name) > 200 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" {
		return "file"
	}
	return name
}

// uploadClaim is a set of uploads claimed, as one, for the request being
// written.
type uploadClaim struct {
	r     *Requests
	by    string
	files []*File
	held  string // the request they are claimed for now
}

// claimUploads checks that every id names a complete, unattached upload
// of by's, and returns the claim to move them with (nil for none). refs
// names the form field each id came from, if any, for the error.
func (r *Requests) claimUploads(ctx context.Context, ids []string, by string, fields map[string]string) (*uploadClaim, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) == 0 {
		return nil, nil
	}
	if len(ids) > maxAttachments {
		return nil, invalidf("attachments: at most %d files at once", maxAttachments)
	}
	c := &uploadClaim{r: r, by: by}
	var bad []forms.FieldError
	for _, id := range ids {
		f, err := r.store.FileGet(ctx, id)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		if err == nil && f.By == by && f.Request == "" {
			c.files = append(c.files, f)
			continue
		}
		if field, ok := fields[id]; ok {
			bad = append(bad, forms.FieldError{Pointer: field, Code: "attachment", Params: map[string]any{"id": id}})
			continue
		}
		if err == nil && f.By == by {
			return nil, conflictf("upload %s is already attached to a request; upload the file again to attach it elsewhere", id)
		}
		return nil, invalidf("attachments: there is no upload %s of yours (loose uploads are kept for %s)", id, UploadTTL)
	}
	if len(bad) > 0 {
		return nil, &forms.ValidationError{Errors: bad}
	}
	return c, nil
}

// list is the files claimed.
func (c *uploadClaim) list() []*File {
	if c == nil {
		return nil
	}
	return c.files
}

// to moves the claims to request ("" releases them); if one cannot move
// (another binding took it meanwhile), those moved go back.
func (c *uploadClaim) to(ctx context.Context, request string) error {
	if c == nil {
		return nil
	}
	now := c.r.now()
	for i, f := range c.files {
		err := c.r.store.FileClaim(ctx, &FileClaimParams{ID: f.ID, By: c.by, From: c.held, To: request, At: now})
		if err == nil {
			continue
		}
		for _, back := range c.files[:i] {
			_ = c.r.store.FileClaim(context.WithoutCancel(ctx), &FileClaimParams{ID: back.ID, By: c.by, From: request, To: c.held, At: now})
		}
		if errors.Is(err, ErrPreconditionFailed) {
			return conflictf("upload %s was attached elsewhere meanwhile", f.ID)
		}
		return err
	}
	c.held = request
	return nil
}

// changeAttaching is change for a write that attaches the files claim
// holds: they are claimed for request id first, and marked bound after
// the write; if it fails, the claims are released so that the uploads may
// be attached again.
func (r *Requests) changeAttaching(ctx context.Context, id string, claim *uploadClaim, f func(req *Request, now time.Time) (*Request, error)) (*Request, error) {
	if err := claim.to(ctx, id); err != nil {
		return nil, err
	}
	req, err := r.change(ctx, id, f)
	claim.done(ctx, err)
	return req, err
}

// done marks the claimed files bound after the request was written (err
// nil), or releases them. A failure here is settled by the sweep.
func (c *uploadClaim) done(ctx context.Context, err error) {
	if c == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if err != nil && c.held != "" {
		// An error may come after the write was made (a timeout, a client
		// gone): bind the files if the request lists them after all.
		if req, gerr := c.r.store.RequestGet(ctx, c.held); gerr == nil &&
			slices.ContainsFunc(req.Attachments, func(a Attachment) bool { return a.ID == c.files[0].ID }) {
			err = nil
		} else if gerr != nil && !errors.Is(gerr, ErrNotFound) {
			return // cannot tell: the sweep settles the claims
		}
	}
	if err != nil {
		_ = c.to(ctx, "")
		return
	}
	for _, f := range c.files {
		_ = c.r.store.FileBind(ctx, f.ID)
	}
}

// formUploads returns the upload ids the form's file fields hold in data
// (a string, or a list of strings), each with its field's pointer.
func formUploads(form *forms.Compiled, data map[string]any) map[string]string {
	out := map[string]string{}
	for _, field := range form.FileFields() {
		collectUploads(data, strings.Split(field, "."), "", out)
	}
	return out
}

func collectUploads(v any, path []string, ptr string, out map[string]string) {
	switch v := v.(type) {
	case map[string]any:
		if len(path) > 0 {
			collectUploads(v[path[0]], path[1:], ptr+"/"+escapePointer(path[0]), out)
		}
	case []any:
		for i, e := range v {
			collectUploads(e, path, fmt.Sprintf("%s/%d", ptr, i), out)
		}
	case string:
		if len(path) == 0 && v != "" {
			if _, seen := out[v]; !seen {
				out[v] = ptr
			}
		}
	}
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// OpenAttachment reads attachment id of req (a request the caller may
// read; internal attachments are the caller's to withhold). ErrNotFound
// if req has no such attachment.
func (r *Requests) OpenAttachment(ctx context.Context, req *Request, id string) (Attachment, io.ReadCloser, error) {
	a, ok := req.attachment(id)
	if !ok {
		return a, nil, fmt.Errorf("attachment %s of request %s: %w", id, req.ID, ErrNotFound)
	}
	body, err := r.store.FileOpen(ctx, id)
	return a, body, err
}

// OpenUpload reads a loose upload of by's; ErrNotFound if id is not one
// (someone else's uploads and attached ones included: they are read
// through their request).
func (r *Requests) OpenUpload(ctx context.Context, id, by string) (*File, io.ReadCloser, error) {
	f, err := r.looseUpload(ctx, id, by)
	if err != nil {
		return nil, nil, err
	}
	body, err := r.store.FileOpen(ctx, id)
	return f, body, err
}

// DiscardUpload deletes a loose upload of by's; ErrNotFound as OpenUpload.
func (r *Requests) DiscardUpload(ctx context.Context, id, by string) error {
	if _, err := r.looseUpload(ctx, id, by); err != nil {
		return err
	}
	if err := r.store.FileDiscard(ctx, id, ""); err != nil {
		if errors.Is(err, ErrPreconditionFailed) {
			return conflictf("upload %s was attached meanwhile", id)
		}
		return err
	}
	return nil
}

func (r *Requests) looseUpload(ctx context.Context, id, by string) (*File, error) {
	f, err := r.store.FileGet(ctx, id)
	if err == nil && (f.By != by || f.Request != "") {
		err = ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", id, err)
	}
	return f, nil
}

// leaseUploads names the upload sweep in the scan clock.
const leaseUploads Lease = "uploads"

// claimGrace is how long a claimed file may wait for its request to be
// written before the sweep takes the claim for one a crash cut short.
const claimGrace = 10 * time.Minute

// SweepUploads settles files left loose for longer than UploadTTL:
// uploads never attached are deleted; a file claimed for a request is
// marked bound if the request lists it, else deleted (the request's write
// never happened). It returns how many files it deleted.
func (r *Requests) SweepUploads(ctx context.Context) (int, error) {
	now := r.now()
	loose, err := r.store.FilesLoose(ctx, now.Add(-UploadTTL), 200)
	if err != nil {
		return 0, err
	}
	deleted := 0
	var errs []error
	for _, f := range loose {
		if f.Request != "" {
			if now.Sub(f.ClaimedAt) < claimGrace {
				continue // its request may be being written right now
			}
			req, err := r.store.RequestGet(ctx, f.Request)
			if err != nil && !errors.Is(err, ErrNotFound) {
				errs = append(errs, err)
				continue
			}
			if err == nil && req.lists(f.ID) {
				if err := r.store.FileBind(ctx, f.ID); err != nil {
					errs = append(errs, err)
				}
				continue
			}
		}
		switch err := r.store.FileDiscard(ctx, f.ID, f.Request); {
		case err == nil:
			deleted++
		case !errors.Is(err, ErrPreconditionFailed): // else claimed meanwhile: not loose after all
			errs = append(errs, fmt.Errorf("upload %s: %w", f.ID, err))
		}
	}
	return deleted, errors.Join(errs...)
}
