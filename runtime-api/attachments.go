package runtimeapi

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/pishkhan/pishkhan/access"
	"github.com/pishkhan/pishkhan/engine"
	"github.com/pishkhan/pishkhan/server"
)

// Attachments over HTTP: a file is uploaded on its own (POST /uploads,
// multipart/form-data, one file in a part named "file"), loose and its
// uploader's; its id is then named when submitting or writing a message,
// which attaches it. Files are only ever served as downloads.

// UploadRoute is the route files are uploaded to; the server lets it take
// multipart bodies larger than the JSON body limit (it bounds them here).
const UploadRoute = server.APIPrefix + "/uploads"

// multipartSlack is what a multipart body may hold besides the file: the
// boundaries and part headers.
const multipartSlack = 64 << 10

// uploader is the principal behind an upload: whoever may submit
// requests (requesters, agents, supervisors, systems).
func (h *handlers) uploader(c echo.Context) (*access.Principal, error) {
	p, err := h.access.Authorize(c.Request().Context(), "*", "requests", "submit")
	if err != nil {
		return nil, err
	}
	if !p.HasScope("requests:submit") {
		return nil, access.ErrForbidden
	}
	return p, nil
}

// upload stores the file in the part named "file", streaming it: the
// size limit holds while it is read, and its type is sniffed from its
// content (the part's Content-Type is ignored).
func (h *handlers) upload(c echo.Context) error {
	p, err := h.uploader(c)
	if err != nil {
		return err
	}
	r := c.Request()
	limit := h.requests.AttachmentLimits().MaxSize
	r.Body = http.MaxBytesReader(c.Response(), r.Body, limit+multipartSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return &server.InputError{Msg: "send the file as multipart/form-data, in a part named file"}
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return &server.InputError{Msg: "file: the body has no part named file"}
		}
		if err != nil {
			return bodyError(err, limit)
		}
		if part.FormName() != "file" {
			continue // NextPart skips what is left of it
		}
		a, err := h.requests.Upload(r.Context(), engine.UploadParams{Name: part.FileName(), By: p.Subject, Body: &bodyReader{r: part, limit: limit}})
		if err != nil {
			return err
		}
		c.Response().Header().Set(echo.HeaderLocation, UploadRoute+"/"+a.ID)
		return c.JSON(http.StatusCreated, a)
	}
}

// bodyReader reads an upload's part, its errors (the body's framing, the
// client gone, the body over every limit) being the client's.
type bodyReader struct {
	r     io.Reader
	limit int64
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = bodyError(err, b.limit)
	}
	return n, err
}

// bodyError says what went wrong reading an upload's body.
func bodyError(err error, limit int64) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return fmt.Errorf("%w: the body is larger than the %s an attachment may be", engine.ErrTooLarge, engine.FormatSize(limit))
	}
	return &server.InputError{Msg: "the body could not be read as multipart/form-data: " + err.Error()}
}

// getUpload answers a loose upload to its uploader (before they attach
// it); to anyone else it does not exist.
func (h *handlers) getUpload(c echo.Context) error {
	p, err := h.uploader(c)
	if err != nil {
		return err
	}
	f, body, err := h.requests.OpenUpload(c.Request().Context(), c.Param("id"), p.Subject)
	if err != nil {
		return err
	}
	return serveFile(c, engine.Attachment{ID: f.ID, Name: f.Name, Type: f.Type, Size: f.Size, SHA256: f.SHA256}, body)
}

// deleteUpload discards a loose upload of the caller's.
func (h *handlers) deleteUpload(c echo.Context) error {
	p, err := h.uploader(c)
	if err != nil {
		return err
	}
	if err := h.requests.DiscardUpload(c.Request().Context(), c.Param("id"), p.Subject); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// attachment answers a request's file to whoever may read the request;
// the requester's view has no files of internal notes, so those are 404
// to them, as if they did not exist.
func (h *handlers) attachment(c echo.Context) error {
	req, err := h.readable(c)
	if err != nil {
		return err
	}
	a, body, err := h.requests.OpenAttachment(c.Request().Context(), req, c.Param("file"))
	if err != nil {
		return err
	}
	return serveFile(c, a, body)
}

// labelled are the types a download is labelled with; any other is sent
// as application/octet-stream. None of them is rendered as a page.
var labelled = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"application/pdf": true, "text/plain": true, "text/csv": true, "application/zip": true}

func init() {
	for _, t := range engine.DefaultAttachmentTypes {
		if strings.HasPrefix(t, "application/vnd.") || t == "application/msword" {
			labelled[t] = true
		}
	}
}

// serveFile sends a file as a download, never to be shown in the page:
// Content-Disposition attachment, no sniffing, a sandbox with nothing
// allowed should a browser open it all the same, and a neutral type for
// anything not known to be harmless.
func serveFile(c echo.Context, a engine.Attachment, body io.ReadCloser) error {
	defer body.Close()
	typ := a.Type
	if base, _, _ := strings.Cut(typ, ";"); !labelled[strings.TrimSpace(base)] {
		typ = echo.MIMEOctetStream
	}
	hd := c.Response().Header()
	hd.Set("Content-Disposition", contentDisposition(a.Name))
	hd.Set(echo.HeaderXContentTypeOptions, "nosniff")
	hd.Set(echo.HeaderContentSecurityPolicy, "sandbox; default-src 'none'")
	hd.Set("Cross-Origin-Resource-Policy", "same-origin")
	hd.Set(echo.HeaderCacheControl, "private, no-store")
	hd.Set(echo.HeaderContentLength, strconv.FormatInt(a.Size, 10))
	if a.SHA256 != "" {
		hd.Set("ETag", `"`+a.SHA256+`"`)
	}
	return c.Stream(http.StatusOK, typ, body)
}

// contentDisposition offers name as the file's name (RFC 6266): in
// filename* as UTF-8 for every client that reads it (Persian names), and
// in filename as ASCII for those that do not, non-ASCII runs written _.
func contentDisposition(name string) string {
	var ascii, utf strings.Builder
	under := false
	for _, r := range name {
		if r < 0x80 && r >= 0x20 && r != '"' && r != '\\' && r != '%' && r != 0x7f {
			ascii.WriteRune(r)
			under = false
		} else if !under {
			ascii.WriteByte('_')
			under = true
		}
	}
	for _, b := range []byte(name) {
		if b < 0x80 && (unicode.IsLetter(rune(b)) || unicode.IsDigit(rune(b)) || strings.IndexByte("!#$&+-.^_`|~", b) >= 0) {
			utf.WriteByte(b)
		} else {
			fmt.Fprintf(&utf, "%%%02X", b)
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + utf.String()
}
