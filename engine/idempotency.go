package engine

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// A client that sends a submission and loses the answer (a timeout, a
// dropped connection, a crash of either side) cannot tell whether it was
// filed; sending it again must not file it twice. A submission may carry
// an idempotency key (the Idempotency-Key header over HTTP), unique to the
// client for that one submission. Its tracking code is then not random
// but derived from the submitter and the key with a keyed hash under a
// secret of the installation (so it is as unguessable as a random one),
// and the store's unique _id makes the second filing impossible: a retry
// finds the request the first made and gets it back, without filing or
// notifying anything. The request keeps a fingerprint of what was
// submitted, so that a key reused for a different submission is refused
// rather than answered with another request.

// Idempotency is what a request filed under an idempotency key keeps.
type Idempotency struct {
	// Fingerprint is the submission's SHA-256 (base64url).
	Fingerprint string `bson:"fingerprint" json:"-"`
}

// maxIdempotencyKey bounds a key's length.
const maxIdempotencyKey = 255

func validIdempotencyKey(k string) bool {
	if len(k) == 0 || len(k) > maxIdempotencyKey {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e { // visible ASCII
			return false
		}
	}
	return true
}

// codeSecret is the installation's key for derived tracking codes, made
// once and shared by every process through the store.
type codeSecret struct {
	mu  sync.Mutex
	key []byte
}

func (r *Requests) codeSecretKey(ctx context.Context) ([]byte, error) {
	r.secret.mu.Lock()
	defer r.secret.mu.Unlock()
	if r.secret.key == nil {
		v, err := r.store.SettingGetOrCreate(ctx, "trackingCodeSecret", rand.Text()+rand.Text())
		if err != nil {
			return nil, err
		}
		r.secret.key = []byte(v)
	}
	return r.secret.key, nil
}

// keyedCode is the tracking code of submitter's submission under key.
func (r *Requests) keyedCode(ctx context.Context, submitter, key string) (string, error) {
	secret, err := r.codeSecretKey(ctx)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(submitter))
	mac.Write([]byte{0})
	mac.Write([]byte(key))
	return trackingCodeFrom(mac.Sum(nil)), nil
}

// fingerprint identifies what was submitted: the same submission sent
// again has the same one (json.Marshal writes map keys in order). The
// language is left out: a retry may come with another Accept-Language.
func fingerprint(p *SubmitParams) (string, error) {
	b, err := json.Marshal(struct {
		Type, Form, Requester, EnteredBy string
		Channel                          Channel
		Data                             any
		Contact                          *Contact
		Attachments                      []string
	}{p.Type, p.Form, p.Requester, p.EnteredBy, p.Channel, p.Data, p.Contact, p.Attachments})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:]), nil
}

// ErrIdempotencyKeyReused: a key already filed a different submission.
var ErrIdempotencyKeyReused = errors.New("idempotency key reused")

// replay answers a retried submission with the request its first sending
// filed, if that is what this one is.
func replay(existing *Request, fp string) (*Request, error) {
	if existing.Idempotency == nil || existing.Idempotency.Fingerprint != fp {
		return nil, fmt.Errorf("%w: this Idempotency-Key already filed a different submission; use a new key for a new submission", ErrIdempotencyKeyReused)
	}
	existing.Replayed = true
	return existing, nil
}

// keyedSubmission is a submission with an idempotency key: its derived
// code and fingerprint, and the request it filed already, if it did.
type keyedSubmission struct {
	code, fingerprint string
	filed             *Request
}

// keyed looks for the request p's key filed already.
func (r *Requests) keyed(ctx context.Context, p *SubmitParams) (*keyedSubmission, error) {
	if !validIdempotencyKey(p.IdempotencyKey) {
		return nil, invalidf("Idempotency-Key: use 1 to %d visible ASCII characters", maxIdempotencyKey)
	}
	submitter := p.Requester
	if p.EnteredBy != "" {
		submitter = p.EnteredBy
	}
	k := &keyedSubmission{}
	var err error
	if k.code, err = r.keyedCode(ctx, submitter, p.IdempotencyKey); err != nil {
		return nil, err
	}
	if k.fingerprint, err = fingerprint(p); err != nil {
		return nil, err
	}
	filed, err := r.store.RequestGet(ctx, k.code)
	switch {
	case errors.Is(err, ErrNotFound):
		return k, nil
	case err != nil:
		return nil, err
	}
	if k.filed, err = replay(filed, k.fingerprint); err != nil {
		return nil, err
	}
	return k, nil
}
