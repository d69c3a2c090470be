//go:build !unix

package embedded

// lockDir is a no-op where flock is not available; run one process per
// data folder there.
func lockDir(string) (func(), error) { return func() {}, nil }
