// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package sharepoint

import (
	"context"
	"slices"

	"github.com/microsoftgraph/msgraph-sdk-go/admin"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/consistency"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// The Microsoft Graph application permissions of /admin/sharepoint/settings.
var (
	SharingReadPermissions  = []string{"SharePointTenantSettings.Read.All"}
	SharingWritePermissions = []string{"SharePointTenantSettings.ReadWrite.All"}
)

// Sharing are the external sharing settings of Graph's /admin/sharepoint/settings, spelled as
// Graph spells them.
type Sharing struct {
	Capability string   // A models.SharingCapabilities, e.g. "existingExternalUserSharingOnly".
	DomainMode string   // A models.SharingDomainRestrictionMode: none, allowList or blockList.
	Allowed    []string // Sorted, lower case (Domains).
	Blocked    []string // Sorted, lower case (Domains).
	Resharing  bool
}

// Equal compares two settings, domain lists included.
func (s Sharing) Equal(o Sharing) bool {
	return s.Capability == o.Capability && s.DomainMode == o.DomainMode && s.Resharing == o.Resharing &&
		slices.Equal(s.Allowed, o.Allowed) && slices.Equal(s.Blocked, o.Blocked)
}

func sharingOperation(action string, perms []string) m365.Operation {
	return m365.Operation{Action: action, Object: "the SharePoint tenant settings (/admin/sharepoint/settings)", Permissions: perms}
}

func settings(c *m365.Client) *admin.SharepointSettingsRequestBuilder {
	return admin.NewSharepointSettingsRequestBuilderInternal(map[string]string{}, c.Graph())
}

// GetSharing reads the sharing settings.
func GetSharing(ctx context.Context, c *m365.Client) (Sharing, error) {
	s, err := settings(c).Get(ctx, nil)
	if err != nil {
		return Sharing{}, m365.GraphError(err, sharingOperation("reading", SharingReadPermissions))
	}
	return flattenSharing(s), nil
}

// SetSharing PATCHes the settings in which want differs from got (what the tenant has) and waits
// until Graph reads want back. The object's other settings are not sent, so they stay as they are.
func SetSharing(ctx context.Context, c *m365.Client, want, got Sharing) error {
	patch, changed, err := expandSharingPatch(want, got)
	if err != nil || !changed {
		return err
	}
	if _, err := settings(c).Patch(ctx, patch, nil); err != nil {
		return m365.GraphError(err, sharingOperation("updating", SharingWritePermissions))
	}
	return consistency.WaitFor(ctx, consistency.Options{}, "the SharePoint tenant settings", func(ctx context.Context) (bool, error) {
		live, err := GetSharing(ctx, c)
		return live.Equal(want), err
	})
}

// Domains is a domain list as a set: lower case, sorted, without duplicates, never nil. It is
// the form in which the Exchange and Compliance packages compare lists: one function for both.
func Domains(in []string) []string { return cmdlets.Normalized(in) }

// flattenSharing reads the sharing settings from /admin/sharepoint/settings.
func flattenSharing(s models.SharepointSettingsable) Sharing {
	out := Sharing{Allowed: Domains(nil), Blocked: Domains(nil)}
	if s == nil {
		return out
	}
	if v := s.GetSharingCapability(); v != nil {
		out.Capability = v.String()
	}
	if v := s.GetSharingDomainRestrictionMode(); v != nil {
		out.DomainMode = v.String()
	}
	out.Allowed = Domains(s.GetSharingAllowedDomainList())
	out.Blocked = Domains(s.GetSharingBlockedDomainList())
	out.Resharing = s.GetIsResharingByExternalUsersEnabled() != nil && *s.GetIsResharingByExternalUsersEnabled()
	return out
}

// expandSharingPatch builds the PATCH body holding only what differs; changed is false when
// there is nothing to send. The other settings of the object (idle session sign-out, which the
// baseline's session block manages, and the rest) are left out so that they stay as they are.
func expandSharingPatch(want, got Sharing) (models.SharepointSettingsable, bool, error) {
	patch := models.NewSharepointSettings()
	changed := false
	if want.Capability != got.Capability {
		v, err := m365.ParseEnum[models.SharingCapabilities](models.ParseSharingCapabilities, want.Capability)
		if err != nil {
			return nil, false, err
		}
		patch.SetSharingCapability(v)
		changed = true
	}
	if want.DomainMode != got.DomainMode {
		v, err := m365.ParseEnum[models.SharingDomainRestrictionMode](models.ParseSharingDomainRestrictionMode, want.DomainMode)
		if err != nil {
			return nil, false, err
		}
		patch.SetSharingDomainRestrictionMode(v)
		changed = true
	}
	// An empty slice, not nil: the writer omits nil, and Graph must see [] to clear the list.
	if !slices.Equal(want.Allowed, got.Allowed) {
		patch.SetSharingAllowedDomainList(Domains(want.Allowed))
		changed = true
	}
	if !slices.Equal(want.Blocked, got.Blocked) {
		patch.SetSharingBlockedDomainList(Domains(want.Blocked))
		changed = true
	}
	if want.Resharing != got.Resharing {
		v := want.Resharing
		patch.SetIsResharingByExternalUsersEnabled(&v)
		changed = true
	}
	return patch, changed, nil
}
