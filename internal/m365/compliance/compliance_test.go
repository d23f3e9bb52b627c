// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package compliance

import (
	"errors"
	"strings"
	"testing"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

func TestNotFoundIsOneErrorValue(t *testing.T) {
	_, err := protectionAlerts.find(nil, "guid-1", "HIPAA - Mass file download")
	if !m365.IsNotFound(err) {
		t.Fatalf("find in an empty list = %v, want a not found error", err)
	}
	var apiErr *m365.APIError
	if !errors.As(err, &apiErr) || apiErr.Op.Service != "Security & Compliance" ||
		!strings.Contains(err.Error(), `alert policy "HIPAA - Mass file download"`) || !strings.Contains(err.Error(), "Get-ProtectionAlert") {
		t.Errorf("not found error = %v", err)
	}
}

func TestNoChange(t *testing.T) {
	if !(Update[ProtectionAlert]{}).NoChange() {
		t.Error("an update with no parameters must be no change")
	}
	if (Update[ProtectionAlert]{Replace: true}).NoChange() {
		t.Error("a replacement is a change")
	}
	if (Update[ProtectionAlert]{params: map[string]any{"Severity": "High"}}).NoChange() {
		t.Error("a Set- parameter is a change")
	}
}
