// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package store

import (
	"crypto/rand"
	"encoding/hex"
	"math/big"
	"strings"
	"time"
)

// NewGUID returns a random version 4 GUID in the lower-case form Entra prints.
func NewGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// IsGUID reports whether s looks like a GUID, which is how Entra decides between an id and a name.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

const SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-"

// NewClientSecret returns a secret shaped like the ones Entra issues ("xyz8Q~" followed by 34 characters).
func NewClientSecret() string {
	var sb strings.Builder
	sb.WriteString(RandomFrom(SecretAlphabet[:62], 3))
	sb.WriteString("8Q~")
	sb.WriteString(RandomFrom(SecretAlphabet, 34))
	return sb.String()
}

func RandomFrom(alphabet string, n int) string {
	out := make([]byte, n)
	n64 := big.NewInt(int64(len(alphabet)))
	for i := range out {
		v, _ := rand.Int(rand.Reader, n64)
		out[i] = alphabet[v.Int64()]
	}
	return string(out)
}

// GraphTime formats a timestamp the way Graph writes DateTimeOffset values.
func GraphTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.9999999Z")
}

func StrPtr(s string) *string { return &s }

// String is obj[key] as a string, or "" when it is absent or not a string. The emulator's objects
// are JSON maps whose ids and names it wrote itself; reading them through String keeps a bug in
// that bookkeeping a failed lookup rather than a panic in a request handler.
func String(obj map[string]any, key string) string {
	s, _ := obj[key].(string)
	return s
}
