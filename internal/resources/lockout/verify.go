// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package lockout

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/microsoftgraph/msgraph-sdk-go/models"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/directory"
	"github.com/hipaa365/terraform-provider-hipaa/internal/providerdata"
)

// Kind is the kind of directory object an id must name.
type Kind int

// The kinds of emergency-access id.
const (
	User Kind = iota
	Group
)

func (k Kind) String() string {
	if k == Group {
		return "group"
	}
	return "user"
}

// ID is one emergency-access id the guard relies on, and where the configuration holds it.
type ID struct {
	Value string
	Kind  Kind
	// Path is the resource attribute holding the id; empty for the provider's ids, which a
	// resource's diagnostic cannot point at.
	Path path.Path
	// Attribute names the attribute in messages, e.g. "emergency_access.user_ids".
	Attribute string
	// OtherKind names the attribute for ids of the other kind, for the fix of a wrong kind.
	OtherKind string
}

// Phase says when Verify runs: at plan a tenant that cannot be read is a warning (the check is
// repeated at apply); at apply, before any write, it is an error.
type Phase int

// The phases of Verify.
const (
	AtPlan Phase = iota
	AtApply
)

// ProviderIDs are the provider's emergency-access ids as IDs.
func ProviderIDs(ea providerdata.EmergencyAccess) []ID {
	const users = "the provider's emergency_access_user_ids (or HIPAA_EMERGENCY_ACCESS_USER_IDS)"
	const groups = "the provider's emergency_access_group_ids (or HIPAA_EMERGENCY_ACCESS_GROUP_IDS)"
	return idsIn(ea, path.Path{}, path.Path{}, users, groups)
}

// IDsAt are the ids of ea as IDs held by a resource: the user ids by the attribute at users, the
// group ids by the one at groups.
func IDsAt(ea providerdata.EmergencyAccess, users, groups path.Path) []ID {
	return idsIn(ea, users, groups, users.String(), groups.String())
}

func idsIn(ea providerdata.EmergencyAccess, usersPath, groupsPath path.Path, users, groups string) []ID {
	var out []ID
	for _, id := range ea.UserIDs {
		out = append(out, ID{Value: id, Kind: User, Path: usersPath, Attribute: users, OtherKind: groups})
	}
	for _, id := range ea.GroupIDs {
		out = append(out, ID{Value: id, Kind: Group, Path: groupsPath, Attribute: groups, OtherKind: users})
	}
	return out
}

// Verify checks that each id exists in the tenant as the kind its attribute says: a user at
// /users/{id}, a group at /groups/{id}. A missing id or one of the other kind is an error naming
// the attribute and the id, since a policy that excludes it excludes nobody. A disabled user is
// a warning: it is excluded, but cannot sign in when it is needed. Each id is looked up once.
func Verify(ctx context.Context, c *m365.Client, ids []ID, phase Phase) diag.Diagnostics {
	var diags diag.Diagnostics
	seen := map[string]bool{}
	var unreadable []string
	var lastErr error
	for _, id := range ids {
		key := id.Kind.String() + ":" + strings.ToLower(id.Value)
		if seen[key] {
			continue
		}
		seen[key] = true
		d, err := verifyOne(ctx, c, id)
		if err != nil {
			unreadable = append(unreadable, id.Value)
			lastErr = err
			continue
		}
		diags.Append(d...)
	}
	if len(unreadable) == 0 {
		return diags
	}
	detail := fmt.Sprintf("Could not read the emergency-access account(s) %s from the tenant to check that they exist: %s.",
		strings.Join(unreadable, ", "), lastErr)
	if phase == AtPlan {
		diags.AddWarning("Unable to Verify Emergency-Access Accounts", detail+
			" They are checked again at apply, before anything is written; apply stops if they still cannot be read.")
		return diags
	}
	diags.AddError("Unable to Verify Emergency-Access Accounts", detail+
		" Nothing was written: a Conditional Access policy that excludes an id that does not exist excludes nobody. "+
		"Grant the application "+strings.Join(append(append([]string{}, directory.UserReadPermissions...),
		directory.GroupReadPermissions...), " and ")+" (Microsoft Graph, application permissions, with admin consent), then run again.")
	return diags
}

// verifyOne returns the diagnostics for id, or an error when the tenant could not be read.
func verifyOne(ctx context.Context, c *m365.Client, id ID) (diag.Diagnostics, error) {
	var diags diag.Diagnostics
	add := func(summary, detail string) {
		if len(id.Path.Steps()) > 0 {
			diags.AddAttributeError(id.Path, summary, detail)
		} else {
			diags.AddError(summary, detail)
		}
	}
	found, disabled, err := exists(ctx, c, id.Value, id.Kind)
	if err != nil {
		return nil, err
	}
	if found {
		if disabled {
			w := fmt.Sprintf("The emergency-access user %s in %s is disabled (accountEnabled = false): it is excluded from the "+
				"policies, but cannot sign in when it is needed. Enable it, or name a working break-glass account.", id.Value, id.Attribute)
			if len(id.Path.Steps()) > 0 {
				diags.AddAttributeWarning(id.Path, "Emergency-Access Account Disabled", w)
			} else {
				diags.AddWarning("Emergency-Access Account Disabled", w)
			}
		}
		return diags, nil
	}
	other := User
	if id.Kind == User {
		other = Group
	}
	isOther, _, err := exists(ctx, c, id.Value, other)
	if err != nil {
		return nil, err
	}
	if isOther {
		add(fmt.Sprintf("Emergency-Access Id Is a %s, Not a %s", titleCase(other.String()), titleCase(id.Kind.String())),
			fmt.Sprintf("%s lists %s as a %s, but in this tenant it is a %s. A Conditional Access policy that excludes it as a %s "+
				"excludes nobody. Move it to %s.", id.Attribute, id.Value, id.Kind, other, id.Kind, id.OtherKind))
		return diags, nil
	}
	add("Emergency-Access Account Not Found",
		fmt.Sprintf("%s lists %s, but the tenant has no %s with that object id (GET /%ss/%s answered 404). A Conditional Access "+
			"policy that excludes it excludes nobody, and the break-glass account would be locked out with everyone else. "+
			"Use the object id shown in the Entra admin center (Users or Groups, Object ID).", id.Attribute, id.Value, id.Kind, id.Kind, id.Value))
	return diags, nil
}

// exists looks id up as kind; disabled is set for a user whose account is disabled.
func exists(ctx context.Context, c *m365.Client, id string, kind Kind) (found, disabled bool, err error) {
	if kind == Group {
		_, err = directory.GetGroup(ctx, c, id)
	} else {
		var u models.Userable
		u, err = directory.GetUser(ctx, c, id)
		disabled = err == nil && u.GetAccountEnabled() != nil && !*u.GetAccountEnabled()
	}
	switch {
	case err == nil:
		return true, disabled, nil
	case m365.IsNotFound(err):
		return false, false, nil
	}
	return false, false, err
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
