// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package tokens is devtenant's key material: the compact JWTs Entra issues and every service
// verifies, the local CA and TLS certificate, and the app certificates used for sign-in.
package tokens

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1" //nolint:gosec // x5t is defined as a SHA-1 thumbprint.
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
)

var B64URL = base64.RawURLEncoding

// signJWT signs claims with RS256, the only algorithm Entra uses for access tokens.
func Sign(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	header := map[string]any{"typ": "JWT", "alg": "RS256", "kid": kid, "x5t": kid}
	hb, _ := json.Marshal(header)
	cb, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signing := B64URL.EncodeToString(hb) + "." + B64URL.EncodeToString(cb)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signing + "." + B64URL.EncodeToString(sig), nil
}

// JWT is a decoded, not yet verified, compact JWT.
type JWT struct {
	Header  map[string]any
	Claims  map[string]any
	signing string
	sig     []byte
}

func Parse(tok string) (*JWT, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, errors.New("token is not a compact JWS")
	}
	p := &JWT{signing: parts[0] + "." + parts[1]}
	hb, err := B64URL.DecodeString(parts[0])
	if err != nil {
		return nil, errors.New("bad header encoding")
	}
	cb, err := B64URL.DecodeString(parts[1])
	if err != nil {
		return nil, errors.New("bad claims encoding")
	}
	if p.sig, err = B64URL.DecodeString(parts[2]); err != nil {
		return nil, errors.New("bad signature encoding")
	}
	if err := json.Unmarshal(hb, &p.Header); err != nil {
		return nil, errors.New("bad header JSON")
	}
	dec := json.NewDecoder(strings.NewReader(string(cb)))
	dec.UseNumber()
	if err := dec.Decode(&p.Claims); err != nil {
		return nil, errors.New("bad claims JSON")
	}
	return p, nil
}

// Verify checks the signature with RS256 or PS256 (MSAL signs certificate assertions with PS256).
func (p *JWT) Verify(pub *rsa.PublicKey) error {
	alg, _ := p.Header["alg"].(string)
	sum := sha256.Sum256([]byte(p.signing))
	switch alg {
	case "RS256":
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], p.sig)
	case "PS256":
		return rsa.VerifyPSS(pub, crypto.SHA256, sum[:], p.sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
	default:
		return errors.New("unsupported alg " + alg)
	}
}

func (p *JWT) Str(name string) string {
	s, _ := p.Claims[name].(string)
	return s
}

func (p *JWT) Num(name string) (int64, bool) {
	switch v := p.Claims[name].(type) {
	case json.Number:
		n, err := v.Int64()
		if err != nil {
			f, ferr := v.Float64()
			return int64(f), ferr == nil
		}
		return n, true
	case float64:
		return int64(v), true
	}
	return 0, false
}

// Audiences returns aud whether it is a string or an array.
func (p *JWT) Audiences() []string {
	switch v := p.Claims["aud"].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, a := range v {
			if s, ok := a.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Thumbprints returns the x5t (SHA-1) and x5t#S256 values of a DER certificate, base64url encoded.
func Thumbprints(der []byte) (x5t, x5tS256 string) {
	s1 := sha1.Sum(der) //nolint:gosec // Required by the x5t definition.
	s2 := sha256.Sum256(der)
	return B64URL.EncodeToString(s1[:]), B64URL.EncodeToString(s2[:])
}

// NormalizeThumb turns a header thumbprint into base64url: MSAL writes std base64, others hex.
func NormalizeThumb(v string) string {
	if b, err := base64.StdEncoding.DecodeString(v); err == nil {
		return B64URL.EncodeToString(b)
	}
	if b, err := B64URL.DecodeString(v); err == nil {
		return B64URL.EncodeToString(b)
	}
	if n, ok := new(big.Int).SetString(v, 16); ok {
		return B64URL.EncodeToString(n.Bytes())
	}
	return v
}

// JWK renders the signing key as the JWKS entry Entra publishes.
func JWK(pub *rsa.PublicKey, kid, certB64 string) map[string]any {
	e := big.NewInt(int64(pub.E)).Bytes()
	return map[string]any{
		"kty": "RSA", "use": "sig", "kid": kid, "x5t": kid,
		"n": B64URL.EncodeToString(pub.N.Bytes()), "e": B64URL.EncodeToString(e),
		"x5c": []string{certB64}, "cloud_instance_name": "microsoftonline.com",
	}
}

// Roles returns the token's roles claim.
func (p *JWT) Roles() []string {
	var roles []string
	if arr, ok := p.Claims["roles"].([]any); ok {
		for _, v := range arr {
			if s, ok := v.(string); ok {
				roles = append(roles, s)
			}
		}
	}
	return roles
}
