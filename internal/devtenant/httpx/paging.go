// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package httpx

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// DefaultPageSize is the page Graph and the admin APIs answer with when the client names none.
const DefaultPageSize = 100

// EncodeSkipToken is the opaque $skiptoken of the page starting at offset.
func EncodeSkipToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("RFNwdAIAAQAAAA:%d", offset)))
}

// DecodeSkipToken reads the offset back from a $skiptoken EncodeSkipToken made.
func DecodeSkipToken(tok string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	_, num, ok := strings.Cut(string(b), ":")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil && n >= 0
}
