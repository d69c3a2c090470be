package email

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/pishkhan/pishkhan/engine"
)

func TestParse(t *testing.T) {
	code := engine.NewTrackingCode()
	other := engine.NewTrackingCode()
	win1256, err := charmap.Windows1256.NewEncoder().String("سلام، بسته نرسيد")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		mail      string
		codes     []string
		body      string
		automatic bool
		files     int
	}{
		{name: "code in the subject, typed loosely",
			mail:  "From: a@example.org\nSubject: Re: [#" + strings.ToLower(code[:5]) + "-" + code[5:] + "] parcel\n\nthanks\n",
			codes: []string{code}, body: "thanks"},
		{name: "thread ids of our domain only",
			mail: "From: a@example.org\nSubject: Re: parcel\nIn-Reply-To: <" + code + "-n3-reply.1@desk.example>\n" +
				"References: <" + other + "@elsewhere.example> <" + code + "@desk.example>\n\nok\n",
			codes: []string{code, code}, body: "ok"},
		{name: "quoted reply cut at the marker and at 'wrote'",
			mail: "From: a@example.org\nSubject: x\n\nNew text here.\n\nOn Mon, 1 Jan 2026, Desk wrote:\n> " + engine.ReplyAbove + "\n> old text\n",
			body: "New text here."},
		{name: "Persian 'wrote' line",
			mail: "From: a@example.org\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\nپاسخ من\n\nدر تاریخ ۱ دی، میز خدمت نوشت:\n> قبلی\n",
			body: "پاسخ من"},
		{name: "legacy Arabic-script charset",
			mail: "From: a@example.org\nSubject: x\nContent-Type: text/plain; charset=windows-1256\n\n" + win1256 + "\n",
			body: "سلام، بسته نرسيد"},
		{name: "HTML only, reduced to text",
			mail: "From: a@example.org\nSubject: x\nContent-Type: text/html; charset=utf-8\n\n<p>Hello &amp; welcome</p><script>alert(1)</script><div>Second</div>\n",
			body: "Hello & welcome\nSecond"},
		{name: "autoresponder",
			mail: "From: a@example.org\nSubject: Out of office\nAuto-Submitted: auto-replied\n\naway\n", body: "away", automatic: true},
		{name: "list mail",
			mail: "From: a@example.org\nSubject: News\nPrecedence: bulk\n\nnews\n", body: "news", automatic: true},
		{name: "attachment kept, body from the text part",
			mail: "From: a@example.org\nSubject: x\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nsee attached\n--B\n" +
				"Content-Type: application/pdf\nContent-Disposition: attachment; filename=\"invoice.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--B--\n",
			body: "see attached", files: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Parse(strings.NewReader(strings.ReplaceAll(tt.mail, "\n", "\r\n")), "desk.example")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(p.Codes, ",") != strings.Join(tt.codes, ",") {
				t.Errorf("codes %v, want %v", p.Codes, tt.codes)
			}
			if p.Body != tt.body {
				t.Errorf("body %q, want %q", p.Body, tt.body)
			}
			if p.Automatic != tt.automatic {
				t.Errorf("automatic %v", p.Automatic)
			}
			if len(p.Attachments) != tt.files {
				t.Errorf("attachments %d, want %d", len(p.Attachments), tt.files)
			} else if tt.files == 1 && (p.Attachments[0].Name != "invoice.pdf" || string(p.Attachments[0].Data) != "%PDF-1.4\n") {
				t.Errorf("attachment %q %q", p.Attachments[0].Name, p.Attachments[0].Data)
			}
		})
	}
	if _, err := Parse(strings.NewReader("Subject: no sender\r\n\r\nhi\r\n"), "desk.example"); err == nil {
		t.Error("a mail without From was parsed")
	}
}

// FuzzParse: no mail, however malformed, makes the parser panic, and what
// it returns is bounded text that names only valid tracking codes.
// Run longer: go test -run '^$' -fuzz FuzzParse -fuzztime 10m ./email/
func FuzzParse(f *testing.F) {
	code := engine.NewTrackingCode()
	for _, seed := range []string{
		"From: a@example.org\r\nSubject: [#" + code + "] x\r\n\r\nhello\r\n",
		"From: a@example.org\r\nIn-Reply-To: <" + code + "-n2-reply.1@desk.example>\r\n\r\nok\r\n",
		"From: a@example.org\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n--B--\r\n",
		"From: =?UTF-8?B?2K3Yp9mF2K8=?= <h@example.org>\r\nContent-Type: text/plain; charset=windows-1256\r\n\r\n\xc7\xe1\r\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, mail string) {
		p, err := Parse(strings.NewReader(mail), "desk.example")
		if err != nil {
			return
		}
		if len([]rune(p.Body)) > maxBody {
			t.Errorf("body of %d runes", len([]rune(p.Body)))
		}
		for _, c := range p.Codes {
			if n, ok := engine.NormalizeTrackingCode(c); !ok || n != c {
				t.Errorf("code %q is not a tracking code", c)
			}
		}
	})
}
