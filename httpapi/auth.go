package httpapi

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kycgate/kycgate"
)

// Prefixes tell an operator key from an applicant token at a glance (and to
// secret scanners).
const (
	apiKeyPrefix = "kg_"
	tokenPrefix  = "kga_"
)

// NewAPIKey returns a new operator key: the secret to hand out once, and the
// record to store, which holds only its hash.
func NewAPIKey(name string, now time.Time) (secret string, key *kycgate.APIKey) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error()) // the OS has no randomness left: nothing safe to do
	}
	secret = apiKeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, &kycgate.APIKey{Name: name, SecretHash: HashSecret(secret), CreatedAt: now}
}

// HashSecret is how API key secrets are stored.
func HashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// principal is who makes a request: an operator, or one applicant.
type principal struct {
	operator    *kycgate.APIKey
	applicantID string
}

func (p principal) scope() string {
	if p.operator != nil {
		return "key:" + p.operator.ID
	}
	return "applicant:" + p.applicantID
}

// canAccess reports whether the principal may act on the applicant.
func (p principal) canAccess(applicantID string) bool {
	return p.operator != nil || p.applicantID == applicantID
}

type principalKey struct{}

func principalFrom(ctx context.Context) principal {
	p, _ := ctx.Value(principalKey{}).(principal)
	return p
}

// IssueToken returns an applicant-scoped token that expires at exp. It is an
// HMAC over the applicant id and expiry: nothing to store, nothing to look up.
func (s *Server) IssueToken(applicantID string, exp time.Time) string {
	payload := applicantID + "." + strconv.FormatInt(exp.Unix(), 10)
	return tokenPrefix + payload + "." + s.sign(payload)
}

func (s *Server) sign(payload string) string {
	m := hmac.New(sha256.New, s.TokenKey)
	m.Write([]byte("applicant-token\x00" + payload))
	return hex.EncodeToString(m.Sum(nil))
}

// authenticate resolves the request's bearer credential.
func (s *Server) authenticate(r *http.Request) (principal, error) {
	h := r.Header.Get("Authorization")
	cred, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || cred == "" {
		return principal{}, kycgate.Errorf(kycgate.ErrUnauthorized, "missing bearer credential")
	}
	if t, ok := strings.CutPrefix(cred, tokenPrefix); ok {
		parts := strings.Split(t, ".")
		if len(parts) != 3 {
			return principal{}, kycgate.Errorf(kycgate.ErrUnauthorized, "malformed applicant token")
		}
		payload := parts[0] + "." + parts[1]
		if !hmac.Equal([]byte(s.sign(payload)), []byte(parts[2])) {
			return principal{}, kycgate.Errorf(kycgate.ErrUnauthorized, "invalid applicant token")
		}
		exp, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil || !s.now().Before(time.Unix(exp, 0)) {
			return principal{}, kycgate.Errorf(kycgate.ErrUnauthorized, "applicant token expired")
		}
		return principal{applicantID: parts[0]}, nil
	}
	hash := HashSecret(cred)
	if key, ok := s.keys.get(hash, s.now()); ok {
		return principal{operator: key}, nil
	}
	key, err := s.Store.FindAPIKeyByHash(r.Context(), hash)
	if err != nil || key.RevokedAt != nil {
		return principal{}, kycgate.Errorf(kycgate.ErrUnauthorized, "invalid API key")
	}
	s.keys.put(hash, key, s.now())
	return principal{operator: key}, nil
}

// keyCacheTTL bounds how long a revoked key may still be honoured by a
// process that saw it valid; in exchange a status request costs one query
// less.
const keyCacheTTL = 30 * time.Second

// keyCache remembers valid API keys by secret hash for keyCacheTTL.
type keyCache struct {
	mu   sync.Mutex
	keys map[string]cachedKey
}

type cachedKey struct {
	key     *kycgate.APIKey
	expires time.Time
}

func (c *keyCache) get(hash string, now time.Time) (*kycgate.APIKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.keys[hash]
	if !ok || now.After(k.expires) {
		return nil, false
	}
	return k.key, true
}

func (c *keyCache) put(hash string, key *kycgate.APIKey, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil || len(c.keys) > 10_000 {
		c.keys = map[string]cachedKey{} // bounded: a flood of keys just empties it
	}
	c.keys[hash] = cachedKey{key: key, expires: now.Add(keyCacheTTL)}
}
