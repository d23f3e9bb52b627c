// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package diagnostics

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// APIErrorDiagnostic is the one way resources report a failed call to Microsoft 365: a Title Case
// summary of what failed and a detail that starts with the classified error (object, permission,
// Graph's message and request-id) and ends with what to do about it.
func APIErrorDiagnostic(summary string, err error) diag.Diagnostic {
	detail := err.Error() + "."
	var apiErr *m365.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.Kind {
		case m365.KindForbidden:
			detail += "\n\nGrant the permission to the app registration in Entra ID (API permissions, Application type) and grant admin consent, then run again."
		case m365.KindAuth:
			detail += "\n\nThe access token was refused: check tenant_id, client_id and the credential, and that the app registration exists in this tenant."
		case m365.KindBadRequest:
			detail += "\n\nMicrosoft 365 rejected the request as invalid; the message above says which value. Fix the configuration and run again."
		case m365.KindUnavailable:
			detail += "\n\nThe command is not available to this tenant or to the application's role. Check the tenant's licences " +
				"(for example Microsoft Defender for Office 365 for Safe Links) and the directory role assigned to the application."
		}
	}
	return diag.NewErrorDiagnostic(summary, detail)
}
