package main

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestConfigPrecedenceAndDefaults(t *testing.T) {
	t.Parallel()
	env := map[string]string{"PISHKHAN_ADDR": ":9090", "PISHKHAN_DATA_DIR": "/var/lib/pishkhan", "PISHKHAN_POLL_INTERVAL": "3s", "PISHKHAN_DEMO": "true"}
	cfg, err := parseConfig([]string{"--addr", ":7070"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":7070" || cfg.DataDir != "/var/lib/pishkhan" || cfg.PollInterval != 3*time.Second || !cfg.Demo {
		t.Errorf("flags must win over env, env over defaults: %+v", cfg)
	}
	cfg, err = parseConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":8080" || cfg.DataDir != "./data" || cfg.MongoURI != "" || cfg.Database != "pishkhan" || cfg.BodyLimit != "1M" {
		t.Errorf("defaults: %+v", cfg)
	}
}

func TestConfigRefusesNonsense(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		env  map[string]string
		args []string
		want string
	}{
		"bad duration":   {env: map[string]string{"PISHKHAN_REQUEST_TIMEOUT": "soon"}, want: "PISHKHAN_REQUEST_TIMEOUT"},
		"bad uri":        {args: []string{"--mongodb-uri", "postgres://x"}, want: "mongodb-uri"},
		"bad size":       {args: []string{"--body-limit", "lots"}, want: "body-limit"},
		"bad level":      {args: []string{"--log-level", "loud"}, want: "log-level"},
		"store-addr+uri": {args: []string{"--mongodb-uri", "mongodb://h", "--store-addr", "127.0.0.1:27017"}, want: "store-addr"},
		"bad database":   {args: []string{"--database", "a.b"}, want: "database"},
		"stray argument": {args: []string{"extra"}, want: "unexpected"},
		"cert, no key":   {args: []string{"--smtp-addr", ":2525", "--smtp-cert", "desk.crt"}, want: "smtp-key"},
		"cert, no mail":  {args: []string{"--smtp-cert", "desk.crt", "--smtp-key", "desk.key"}, want: "smtp-addr"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}
