package access

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordCost are argon2id parameters.
type PasswordCost struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultPasswordCost follows OWASP's argon2id minimum (19 MiB, 2 passes).
var DefaultPasswordCost = PasswordCost{Time: 2, Memory: 19 * 1024, Threads: 1}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// hashPassword returns an encoded argon2id hash with its parameters and salt.
func hashPassword(password string, c PasswordCost) string {
	salt := []byte(randomToken(16))
	key := argon2.IDKey([]byte(password), salt, c.Time, c.Memory, c.Threads, 32)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", c.Memory, c.Time, c.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// checkPassword compares in constant time.
func checkPassword(password, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var c PasswordCost
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &c.Memory, &c.Time, &c.Threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, c.Time, c.Memory, c.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a username does not exist, so that a
// login takes as long whether or not the user exists.
var dummyHash = hashPassword("not-a-password", DefaultPasswordCost)
