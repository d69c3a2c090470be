package email

import (
	"errors"
	"net"
	"testing"

	"github.com/emersion/go-smtp"
)

// TestListenerSlowsAFlood: past its burst, a client is told to come back
// later (451, which mail servers do), before the desk reads anything.
func TestListenerSlowsAFlood(t *testing.T) {
	addr := serve(t, &Listener{Domain: "desk.example", Rate: 0.001, Burst: 3})
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := 1; i <= 4; i++ {
		err := c.Mail("someone@example.org", nil)
		var se *smtp.SMTPError
		switch {
		case i <= 3 && err != nil:
			t.Fatalf("mail %d refused within the burst: %v", i, err)
		case i == 4 && (!errors.As(err, &se) || se.Code != 451):
			t.Fatalf("mail %d past the burst: %v, want 451", i, err)
		}
		if err := c.Reset(); err != nil {
			t.Fatal(err)
		}
	}
}

// serve runs l on a loopback port until the test ends and returns its
// address.
func serve(t *testing.T, l *Listener) string {
	t.Helper()
	srv := l.Server()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}
