package email

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// Certificate serves the listener's TLS certificate from a PEM certificate
// (chain) and key file. Certificates are renewed in place (an ACME client
// rewrites the files every few months), so the files are read again when
// either has changed, looked at no more than once a minute; a renewal that
// cannot be read (say, caught half written) is logged and the certificate
// in use is kept, so TLS is never dropped.
type Certificate struct {
	CertFile, KeyFile string
	Logger            *slog.Logger

	mu      sync.Mutex
	cert    *tls.Certificate
	stamp   [2]time.Time // the files' modification times when read
	checked time.Time
}

// LoadCertificate reads the pair once, so that a wrong file is refused at
// start rather than at the first mail.
func LoadCertificate(certFile, keyFile string) (*Certificate, error) {
	if certFile == "" || keyFile == "" {
		return nil, errors.New("both a certificate and a key file are needed")
	}
	c := &Certificate{CertFile: certFile, KeyFile: keyFile}
	if err := c.load(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Certificate) load() error {
	var stamp [2]time.Time
	for i, f := range []string{c.CertFile, c.KeyFile} {
		st, err := os.Stat(f)
		if err != nil {
			return err
		}
		stamp[i] = st.ModTime()
	}
	pair, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
	if err != nil {
		return fmt.Errorf("TLS certificate %s with key %s: %w", c.CertFile, c.KeyFile, err)
	}
	c.cert, c.stamp, c.checked = &pair, stamp, time.Now()
	return nil
}

// get returns the certificate, read again if the files changed.
func (c *Certificate) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checked) < time.Minute {
		return c.cert, nil
	}
	c.checked = time.Now()
	changed := false
	for i, f := range []string{c.CertFile, c.KeyFile} {
		if st, err := os.Stat(f); err == nil && !st.ModTime().Equal(c.stamp[i]) {
			changed = true
		}
	}
	if changed {
		if err := c.load(); err != nil && c.Logger != nil {
			c.Logger.Error("email: renewed TLS certificate not read; keeping the one in use", "error", err)
		}
	}
	return c.cert, nil
}

// Config is the TLS configuration the listener offers with STARTTLS.
func (c *Certificate) Config() *tls.Config {
	return &tls.Config{GetCertificate: c.get, MinVersion: tls.VersionTLS12}
}
