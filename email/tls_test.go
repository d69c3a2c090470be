package email

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// copyFile copies a fixture into dir, as an ACME client would write it.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestListenerOffersSTARTTLS: with a certificate, the listener advertises
// STARTTLS and completes the handshake with it; a renewed pair written in
// place is served from then on, and a broken renewal keeps the one in use.
func TestListenerOffersSTARTTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "desk.crt"), filepath.Join(dir, "desk.key")
	copyFile(t, "testdata/tls/a.crt", certFile)
	copyFile(t, "testdata/tls/a.key", keyFile)
	cert, err := LoadCertificate(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	addr := serve(t, &Listener{Domain: "desk.pishkhan.local", TLS: cert.Config()})

	// served dials, upgrades the connection and returns the certificate's
	// subject, trusting only the fixture named.
	served := func(trust string) string {
		t.Helper()
		pem, err := os.ReadFile(trust)
		if err != nil {
			t.Fatal(err)
		}
		roots := x509.NewCertPool()
		roots.AppendCertsFromPEM(pem)
		// NewClientStartTLS fails unless STARTTLS is advertised.
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c, err := smtp.NewClientStartTLS(conn, &tls.Config{RootCAs: roots, ServerName: "desk.pishkhan.local"})
		if err != nil {
			t.Fatalf("STARTTLS: %v", err)
		}
		defer c.Close()
		// The session goes on over TLS as before.
		if err := c.Mail("someone@example.org", nil); err != nil {
			t.Fatalf("MAIL over TLS: %v", err)
		}
		state, ok := c.TLSConnectionState()
		if !ok || !state.HandshakeComplete {
			t.Fatal("no TLS after STARTTLS")
		}
		return state.PeerCertificates[0].Subject.CommonName
	}
	if got := served("testdata/tls/a.crt"); got != "desk-a.pishkhan.local" {
		t.Fatalf("served %q", got)
	}

	// Renewal: the files are rewritten; once the minute has passed, the
	// new pair is served.
	copyFile(t, "testdata/tls/b.crt", certFile)
	copyFile(t, "testdata/tls/b.key", keyFile)
	later := time.Now().Add(time.Second)
	for _, f := range []string{certFile, keyFile} {
		if err := os.Chtimes(f, later, later); err != nil {
			t.Fatal(err)
		}
	}
	if got := served("testdata/tls/a.crt"); got != "desk-a.pishkhan.local" {
		t.Fatalf("the files were read again within the minute: %q", got)
	}
	cert.mu.Lock()
	cert.checked = time.Time{}
	cert.mu.Unlock()
	if got := served("testdata/tls/b.crt"); got != "desk-b.pishkhan.local" {
		t.Fatalf("after renewal served %q", got)
	}

	// A renewal caught half written keeps the certificate in use.
	if err := os.WriteFile(keyFile, []byte("-----BEGIN EC PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(keyFile, later.Add(time.Second), later.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	cert.mu.Lock()
	cert.checked = time.Time{}
	cert.mu.Unlock()
	if got := served("testdata/tls/b.crt"); got != "desk-b.pishkhan.local" {
		t.Fatalf("after a broken renewal served %q", got)
	}
}

// TestLoadCertificateRefusesAtStart: a missing or mismatched pair is an
// error when the server starts, not at the first mail.
func TestLoadCertificateRefusesAtStart(t *testing.T) {
	for name, pair := range map[string][2]string{
		"missing key":    {"testdata/tls/a.crt", ""},
		"absent file":    {"testdata/tls/a.crt", "testdata/tls/none.key"},
		"key of another": {"testdata/tls/a.crt", "testdata/tls/b.key"},
	} {
		if _, err := LoadCertificate(pair[0], pair[1]); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
