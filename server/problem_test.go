package server

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestAbandonedRequestsAreNotFaults: work cut short because its client
// went away is logged as such, not as a 500 and an error; the same error
// while the client still waits is one.
func TestAbandonedRequestsAreNotFaults(t *testing.T) {
	var log bytes.Buffer
	handle := errorHandler(slog.New(slog.NewTextHandler(&log, nil)))
	e := echo.New()
	cut := fmt.Errorf("store request: read: %w", context.Canceled)

	gone, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	handle(cut, e.NewContext(httptest.NewRequest(http.MethodPost, "/api/v1/requests", nil).WithContext(gone), rec))
	if rec.Code != statusClientClosed || strings.Contains(log.String(), "level=ERROR") || !strings.Contains(log.String(), "abandoned") {
		t.Errorf("client gone: %d, log %q", rec.Code, log.String())
	}

	log.Reset()
	rec = httptest.NewRecorder()
	handle(cut, e.NewContext(httptest.NewRequest(http.MethodPost, "/api/v1/requests", nil), rec))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(log.String(), "level=ERROR") {
		t.Errorf("client still there: %d, log %q", rec.Code, log.String())
	}
}
