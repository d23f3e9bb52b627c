// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

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

var b64url = base64.RawURLEncoding

// signJWT signs claims with RS256, the only algorithm Entra uses for access tokens.
func signJWT(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	header := map[string]any{"typ": "JWT", "alg": "RS256", "kid": kid, "x5t": kid}
	hb, _ := json.Marshal(header)
	cb, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	signing := b64url.EncodeToString(hb) + "." + b64url.EncodeToString(cb)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return signing + "." + b64url.EncodeToString(sig), nil
}

// parsedJWT is a decoded, not yet verified, compact JWT.
type parsedJWT struct {
	Header  map[string]any
	Claims  map[string]any
	signing string
	sig     []byte
}

func parseJWT(tok string) (*parsedJWT, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, errors.New("token is not a compact JWS")
	}
	p := &parsedJWT{signing: parts[0] + "." + parts[1]}
	hb, err := b64url.DecodeString(parts[0])
	if err != nil {
		return nil, errors.New("bad header encoding")
	}
	cb, err := b64url.DecodeString(parts[1])
	if err != nil {
		return nil, errors.New("bad claims encoding")
	}
	if p.sig, err = b64url.DecodeString(parts[2]); err != nil {
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

// verify checks the signature with RS256 or PS256 (MSAL signs certificate assertions with PS256).
func (p *parsedJWT) verify(pub *rsa.PublicKey) error {
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

func (p *parsedJWT) str(name string) string {
	s, _ := p.Claims[name].(string)
	return s
}

func (p *parsedJWT) num(name string) (int64, bool) {
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

// audiences returns aud whether it is a string or an array.
func (p *parsedJWT) audiences() []string {
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

// thumbprints returns the x5t (SHA-1) and x5t#S256 values of a DER certificate, base64url encoded.
func thumbprints(der []byte) (x5t, x5tS256 string) {
	s1 := sha1.Sum(der) //nolint:gosec // Required by the x5t definition.
	s2 := sha256.Sum256(der)
	return b64url.EncodeToString(s1[:]), b64url.EncodeToString(s2[:])
}

// normalizeThumb turns a header thumbprint into base64url: MSAL writes std base64, others hex.
func normalizeThumb(v string) string {
	if b, err := base64.StdEncoding.DecodeString(v); err == nil {
		return b64url.EncodeToString(b)
	}
	if b, err := b64url.DecodeString(v); err == nil {
		return b64url.EncodeToString(b)
	}
	if n, ok := new(big.Int).SetString(v, 16); ok {
		return b64url.EncodeToString(n.Bytes())
	}
	return v
}

// jwk renders the signing key as the JWKS entry Entra publishes.
func jwk(pub *rsa.PublicKey, kid, certB64 string) map[string]any {
	e := big.NewInt(int64(pub.E)).Bytes()
	return map[string]any{
		"kty": "RSA", "use": "sig", "kid": kid, "x5t": kid,
		"n": b64url.EncodeToString(pub.N.Bytes()), "e": b64url.EncodeToString(e),
		"x5c": []string{certB64}, "cloud_instance_name": "microsoftonline.com",
	}
}
