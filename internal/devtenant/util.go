// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package devtenant

import (
	"crypto/rand"
	"encoding/hex"
	"math/big"
	"strings"
	"time"
)

// newGUID returns a random version 4 GUID in the lower-case form Entra prints.
func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// isGUID reports whether s looks like a GUID, which is how Entra decides between an id and a name.
func isGUID(s string) bool {
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

const secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-"

// newClientSecret returns a secret shaped like the ones Entra issues ("xyz8Q~" followed by 34 characters).
func newClientSecret() string {
	var sb strings.Builder
	sb.WriteString(randomFrom(secretAlphabet[:62], 3))
	sb.WriteString("8Q~")
	sb.WriteString(randomFrom(secretAlphabet, 34))
	return sb.String()
}

func randomFrom(alphabet string, n int) string {
	out := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range out {
		v, _ := rand.Int(rand.Reader, max)
		out[i] = alphabet[v.Int64()]
	}
	return string(out)
}

// graphTime formats a timestamp the way Graph writes DateTimeOffset values.
func graphTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.9999999Z")
}

func strPtr(s string) *string { return &s }
