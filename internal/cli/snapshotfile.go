// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hipaa365/terraform-provider-hipaa/internal/assess/snapshot"
)

// A snapshot file is evidence: drift prints the SHA-256 of its exact bytes whenever it writes or
// reads one, and --expect-sha256 refuses a file whose bytes are not the ones recorded. That hash
// is what sha256sum (or Get-FileHash) prints for the file, so an auditor can check it with any
// tool; the report's snapshot_sha256 is a different value, over the canonical JSON of the content.

// parseSHA256 checks an --expect-sha256 value: 64 hexadecimal characters, either case (sha256sum
// prints lower case, PowerShell's Get-FileHash upper case). It returns the lower-case form.
func parseSHA256(s string) (string, error) {
	if len(s) != sha256.Size*2 {
		return "", fmt.Errorf("--expect-sha256 %q is not a SHA-256: want 64 hexadecimal characters (as sha256sum prints), got %d characters", s, len(s))
	}
	if _, err := hex.DecodeString(s); err != nil {
		return "", fmt.Errorf("--expect-sha256 %q is not a SHA-256: want 64 hexadecimal characters (as sha256sum prints), it has a character that is not 0-9 or a-f", s)
	}
	return strings.ToLower(s), nil
}

func fileSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// readSnapshot reads a snapshot file once, hashes those bytes and parses the same bytes, so the
// hash checked is the hash of what is evaluated (re-opening the file could read another version).
// With expect set, a file whose hash differs is refused before it is parsed.
func readSnapshot(path, expect string) (*snapshot.Snapshot, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("reading --from-snapshot: %w", err)
	}
	sum := fileSHA256(b)
	if expect != "" && sum != expect {
		return nil, sum, fmt.Errorf("snapshot %s has sha256 %s, but --expect-sha256 is %s: the file is not the one whose hash was recorded "+
			"(it was changed, truncated or replaced); nothing was evaluated", path, sum, expect)
	}
	s, err := snapshot.Load(bytes.NewReader(b))
	if err != nil {
		return nil, sum, fmt.Errorf("%s: %w", path, err)
	}
	return s, sum, nil
}

// writeSnapshot saves snap to path and returns the SHA-256 of the bytes written.
func writeSnapshot(path string, snap *snapshot.Snapshot) (string, error) {
	h := sha256.New()
	err := writeFile(path, func(w io.Writer) error { return snap.Save(io.MultiWriter(w, h)) })
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
