package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pishkhan/pishkhan/engine/mongostore/embedded"
)

// The default start (embedded store in a data folder) keeps every form and
// request across a stop and a start, and stops gracefully when its context
// ends, as it does on Ctrl-C.
func TestEmbeddedStoreKeepsEverythingAcrossRestarts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	addr := freeAddr(t)
	env := map[string]string{"PISHKHAN_DATA_DIR": dir, "PISHKHAN_ADDR": addr, "PISHKHAN_LOG_LEVEL": "warn"}
	base := "http://" + addr

	stop := startServe(t, env, "--demo")
	code := submitDemo(t, base)
	// While it runs, a second process cannot open the same folder.
	if _, err := embedded.Start(embedded.Config{Dir: dir}); !errors.Is(err, embedded.ErrLocked) {
		t.Errorf("second store on the same folder: %v, want ErrLocked", err)
	}
	stop()

	stop = startServe(t, env) // no --demo: what we see was stored
	defer stop()
	res, err := http.Get(base + "/api/v1/track/" + code)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), code) {
		t.Fatalf("after restart, track %s: %d %s", code, res.StatusCode, body)
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/forms/it-support/versions/1", nil)
	req.Header.Set("Authorization", "Bearer "+loginAt(t, base, "admin", demoAdminPassword))
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("after restart, form version 1: %d", res.StatusCode)
	}
}

// startServe runs `pishkhan serve` in this process with env and args, waits
// until it is ready, and returns a function that stops it as Ctrl-C does.
func startServe(t *testing.T, env map[string]string, args ...string) func() {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		cfg, err := parseConfig(args, func(k string) string { return env[k] }, io.Discard)
		if err != nil {
			done <- err
			return
		}
		done <- serve(ctx, cfg)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get("http://" + env["PISHKHAN_ADDR"] + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve ended early: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("server not ready within 60s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30s")
		}
	}
}

func submitDemo(t *testing.T, base string) string {
	t.Helper()
	token := loginAt(t, base, "sara", "sara-demo")
	body := `{"form": "complaint", "data": {"contact": {"name": "Reza", "email": "reza@example.com"},
		"incidentDate": "2026-11-20", "department": "delivery", "description": "The parcel arrived broken and late."}}`
	status, b := send(t, "POST", base+"/api/v1/requests", token, body)
	if status != 201 {
		t.Fatalf("submit: %d %s", status, b)
	}
	i := strings.Index(b, `"trackingCode":"`)
	if i < 0 {
		t.Fatalf("no tracking code in %s", b)
	}
	return b[i+16 : i+26]
}

func loginAt(t *testing.T, base, username, password string) string {
	t.Helper()
	res, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username": "`+username+`", "password": "`+password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	i := strings.Index(string(b), `"token":"`)
	if res.StatusCode != 200 || i < 0 {
		t.Fatalf("login %s: %d %s", username, res.StatusCode, b)
	}
	rest := string(b[i+9:])
	return rest[:strings.IndexByte(rest, '"')]
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprintf("127.0.0.1:%d", l.Addr().(*net.TCPAddr).Port)
}
