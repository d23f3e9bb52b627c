// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package sharepoint

import (
	"context"

	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/consistency"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// Idle session sign-out, the idleSessionSignOut of Graph's /admin/sharepoint/settings (the same
// object as the sharing settings, so its writes send only idleSessionSignOut): SharePoint and
// OneDrive sign idle browser sessions out. The baseline's session block manages it.

// IdleSignOutObject names the setting in messages.
const IdleSignOutObject = "SharePoint idle session sign-out (/admin/sharepoint/settings)"

// IdleSignOut is the setting in seconds, as Graph has it.
type IdleSignOut struct {
	Enabled      bool
	WarnAfter    int64
	SignOutAfter int64
}

// Satisfies reports whether the live setting s is what want asks for. When want is "off", the
// durations do not matter.
func (s IdleSignOut) Satisfies(want IdleSignOut) bool {
	if !want.Enabled {
		return !s.Enabled
	}
	return s == want
}

// GetIdleSignOut reads the setting.
func GetIdleSignOut(ctx context.Context, c *m365.Client) (IdleSignOut, error) {
	s, err := settings(c).Get(ctx, nil)
	if err != nil {
		return IdleSignOut{}, m365.GraphError(err, m365.Operation{Action: "reading", Object: IdleSignOutObject, Permissions: SharingReadPermissions})
	}
	return flattenIdleSignOut(s), nil
}

// SetIdleSignOut changes the setting when it differs from want and waits until Graph reads it back.
func SetIdleSignOut(ctx context.Context, c *m365.Client, want IdleSignOut) error {
	got, err := GetIdleSignOut(ctx, c)
	if err != nil || got.Satisfies(want) {
		return err
	}
	if _, err := settings(c).Patch(ctx, expandIdleSignOut(want), nil); err != nil {
		return m365.GraphError(err, m365.Operation{Action: "updating", Object: IdleSignOutObject, Permissions: SharingWritePermissions})
	}
	return consistency.WaitFor(ctx, consistency.Defaults, IdleSignOutObject, func(ctx context.Context) (bool, error) {
		got, err := GetIdleSignOut(ctx, c)
		return got.Satisfies(want), err
	})
}

func flattenIdleSignOut(s models.SharepointSettingsable) IdleSignOut {
	if s == nil || s.GetIdleSessionSignOut() == nil {
		return IdleSignOut{}
	}
	i := s.GetIdleSessionSignOut()
	out := IdleSignOut{Enabled: i.GetIsEnabled() != nil && *i.GetIsEnabled()}
	if v := i.GetWarnAfterInSeconds(); v != nil {
		out.WarnAfter = *v
	}
	if v := i.GetSignOutAfterInSeconds(); v != nil {
		out.SignOutAfter = *v
	}
	return out
}

// expandIdleSignOut is the PATCH body: only idleSessionSignOut, so that the sharing settings of
// the same object stay as they are.
func expandIdleSignOut(want IdleSignOut) models.SharepointSettingsable {
	i := models.NewIdleSessionSignOut()
	enabled := want.Enabled
	i.SetIsEnabled(&enabled)
	if want.Enabled {
		warn, signOut := want.WarnAfter, want.SignOutAfter
		i.SetWarnAfterInSeconds(&warn)
		i.SetSignOutAfterInSeconds(&signOut)
	}
	body := models.NewSharepointSettings()
	body.SetIdleSessionSignOut(i)
	return body
}
