package email

import (
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // windows-1256, iso-8859-6 ... into UTF-8
	"github.com/emersion/go-message/mail"

	"github.com/pishkhan/pishkhan/engine"
)

// Parsed is an incoming mail as the desk needs it.
type Parsed struct {
	From, FromName string
	Subject        string
	Body           string // the new text, quoted text cut off
	Date           time.Time
	// Codes are the tracking codes the mail names, subject first.
	Codes []string
	// Automatic is set on mail no person wrote: autoresponders, bounces,
	// lists (RFC 3834), which the desk never files.
	Automatic   bool
	Attachments []Attachment
}

// Attachment is a file that came with a mail.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// maxBody bounds the text kept of a mail, in runes.
const maxBody = 10000

var subjectCode = regexp.MustCompile(`\[#\s*([0-9A-Za-z][0-9A-Za-z -]{8,16})\]`)

// Parse reads a mail. domain is the desk's Message-ID domain: thread ids
// of other domains are not tracking codes.
func Parse(r io.Reader, domain string) (*Parsed, error) {
	mr, err := mail.CreateReader(r)
	if err != nil && !message.IsUnknownCharset(err) {
		return nil, fmt.Errorf("not a mail message: %w", err)
	}
	defer mr.Close()
	p := &Parsed{}
	from, err := mr.Header.AddressList("From")
	if err != nil || len(from) == 0 {
		return nil, errors.New("the mail has no From address")
	}
	p.From, p.FromName = from[0].Address, from[0].Name
	p.Subject, _ = mr.Header.Subject()
	p.Subject = strings.TrimSpace(p.Subject)
	if p.Date, err = mr.Header.Date(); err != nil || p.Date.IsZero() {
		p.Date = time.Now().UTC()
	}
	p.Automatic = automatic(mr.Header)
	for _, m := range subjectCode.FindAllStringSubmatch(p.Subject, -1) {
		if code, ok := engine.NormalizeTrackingCode(m[1]); ok {
			p.Codes = append(p.Codes, code)
		}
	}
	for _, key := range []string{"In-Reply-To", "References"} {
		ids, _ := mr.Header.MsgIDList(key)
		for _, id := range ids {
			local, dom, ok := strings.Cut(id, "@")
			if !ok || !strings.EqualFold(dom, domain) {
				continue
			}
			// <CODE@domain> roots the thread; <CODE-n2-reply.1@domain> is
			// one message of it.
			local, _, _ = strings.Cut(local, ".")
			local, _, _ = strings.Cut(local, "-")
			if code, ok := engine.NormalizeTrackingCode(local); ok {
				p.Codes = append(p.Codes, code)
			}
		}
	}
	var plain, htmlText string
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !message.IsUnknownCharset(err) {
			return nil, fmt.Errorf("reading the mail: %w", err)
		}
		switch h := part.Header.(type) {
		case *mail.InlineHeader:
			t, _, _ := h.ContentType()
			b, err := io.ReadAll(io.LimitReader(part.Body, 4*maxBody))
			if err != nil {
				return nil, fmt.Errorf("reading the mail: %w", err)
			}
			switch {
			case t == "text/plain" && plain == "":
				plain = string(b)
			case t == "text/html" && htmlText == "":
				htmlText = string(b)
			}
		case *mail.AttachmentHeader:
			name, _ := h.Filename()
			t, _, _ := h.ContentType()
			b, err := io.ReadAll(part.Body)
			if err != nil {
				return nil, fmt.Errorf("reading attachment %q: %w", name, err)
			}
			p.Attachments = append(p.Attachments, Attachment{Name: name, ContentType: t, Data: b})
		}
	}
	if plain == "" && htmlText != "" {
		plain = textOfHTML(htmlText)
	}
	p.Body = newText(plain)
	return p, nil
}

// automatic reports whether a mail was sent by a program: RFC 3834's
// Auto-Submitted, or the precedence and list headers older software sets.
func automatic(h mail.Header) bool {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list", "auto_reply":
		return true
	}
	return h.Get("List-Id") != "" || h.Get("X-Autoreply") != "" || h.Get("X-Autorespond") != ""
}

var (
	tags       = regexp.MustCompile(`(?is)<(script|style)[^>]*>.*?</(script|style)>|<[^>]*>`)
	blockEnds  = regexp.MustCompile(`(?i)<br\s*/?>|</p>|</div>|</li>|</tr>`)
	wroteLine  = regexp.MustCompile(`^(On .+ wrote:|.+ نوشت:|-----\s*Original Message\s*-----)\s*$`)
	blankLines = regexp.MustCompile(`\n{3,}`)
)

// textOfHTML is the text of an HTML mail body: tags dropped, entities
// decoded, block ends kept as line breaks. It is never rendered.
func textOfHTML(s string) string {
	s = blockEnds.ReplaceAllString(s, "\n")
	s = tags.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}

// newText is what the writer added: the text above the desk's "reply
// above this line" marker, without a quoted earlier message ("On ...
// wrote:" and the lines starting with ">" after it), trimmed and bounded.
func newText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if i := strings.Index(s, engine.ReplyAbove); i >= 0 {
		s = s[:i]
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if wroteLine.MatchString(strings.TrimSpace(l)) {
			lines = lines[:i]
			break
		}
	}
	for len(lines) > 0 && (strings.HasPrefix(strings.TrimSpace(lines[len(lines)-1]), ">") || strings.TrimSpace(lines[len(lines)-1]) == "") {
		lines = lines[:len(lines)-1]
	}
	s = strings.TrimSpace(blankLines.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if utf8.RuneCountInString(s) > maxBody {
		s = string([]rune(s)[:maxBody-1]) + "…"
	}
	return s
}
