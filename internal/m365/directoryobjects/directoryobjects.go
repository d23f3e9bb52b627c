// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package directoryobjects reads users and groups of Microsoft Graph v1.0 by object id. The
// lockout guard uses it to check, before any Conditional Access write, that every
// emergency-access id names an object of the kind the configuration says it is.
//
// It builds its requests with kiota's RequestInformation instead of msgraph-sdk-go's users and
// groups request builders: those packages hold thousands of files each, and two GETs do not
// justify compiling them. The responses are still parsed into the SDK's typed models.
package directoryobjects

import (
	"context"
	"fmt"
	"net/http"

	abs "github.com/microsoft/kiota-abstractions-go"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"github.com/hipaa365/terraform-provider-hipaa/internal/m365"
)

// The least privileged Microsoft Graph application permissions of Get user and Get group
// (https://learn.microsoft.com/graph/api/user-get, https://learn.microsoft.com/graph/api/group-get).
var (
	UserReadPermissions  = []string{"User.Read.All"}
	GroupReadPermissions = []string{"GroupMember.Read.All"}
)

// The properties read: enough to name the object in a message and to tell a usable
// emergency-access account from a disabled one.
var (
	userSelect  = "id,displayName,userPrincipalName,accountEnabled"
	groupSelect = "id,displayName"
)

// GetUser reads the user with object id id. A missing user (also an id that names a group or
// any other kind of object) is an *m365.APIError of kind not found.
func GetUser(ctx context.Context, c *m365.Client, id string) (models.Userable, error) {
	op := m365.Operation{Action: "reading", Object: fmt.Sprintf("user %q", id), Permissions: UserReadPermissions}
	v, err := get(ctx, c, "{+baseurl}/users/{user%2Did}{?%24select}", "user%2Did", id, userSelect, models.CreateUserFromDiscriminatorValue)
	if err != nil {
		return nil, m365.GraphError(err, op)
	}
	u, ok := v.(models.Userable)
	if !ok || u.GetId() == nil {
		return nil, &m365.APIError{Kind: m365.KindNotFound, Status: http.StatusNotFound, Message: "empty response", Op: op}
	}
	return u, nil
}

// GetGroup reads the group with object id id. A missing group (also an id that names a user or
// any other kind of object) is an *m365.APIError of kind not found.
func GetGroup(ctx context.Context, c *m365.Client, id string) (models.Groupable, error) {
	op := m365.Operation{Action: "reading", Object: fmt.Sprintf("group %q", id), Permissions: GroupReadPermissions}
	v, err := get(ctx, c, "{+baseurl}/groups/{group%2Did}{?%24select}", "group%2Did", id, groupSelect, models.CreateGroupFromDiscriminatorValue)
	if err != nil {
		return nil, m365.GraphError(err, op)
	}
	g, ok := v.(models.Groupable)
	if !ok || g.GetId() == nil {
		return nil, &m365.APIError{Kind: m365.KindNotFound, Status: http.StatusNotFound, Message: "empty response", Op: op}
	}
	return g, nil
}

func get(ctx context.Context, c *m365.Client, template, key, id, sel string, factory absser.ParsableFactory) (absser.Parsable, error) {
	ri := abs.NewRequestInformationWithMethodAndUrlTemplateAndPathParameters(abs.GET, template, map[string]string{key: id})
	ri.QueryParameters["%24select"] = sel
	ri.Headers.TryAdd("Accept", "application/json")
	return c.Graph().Send(ctx, ri, factory, abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
}
