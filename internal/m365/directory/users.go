// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package directory

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
	return get[models.Userable](ctx, c, object{
		name: "user", template: "{+baseurl}/users/{user%2Did}{?%24select}", key: "user%2Did", sel: userSelect,
		permissions: UserReadPermissions, factory: models.CreateUserFromDiscriminatorValue,
	}, id)
}

// GetGroup reads the group with object id id. A missing group (also an id that names a user or
// any other kind of object) is an *m365.APIError of kind not found.
func GetGroup(ctx context.Context, c *m365.Client, id string) (models.Groupable, error) {
	return get[models.Groupable](ctx, c, object{
		name: "group", template: "{+baseurl}/groups/{group%2Did}{?%24select}", key: "group%2Did", sel: groupSelect,
		permissions: GroupReadPermissions, factory: models.CreateGroupFromDiscriminatorValue,
	}, id)
}

// object is one kind of directory object read by id.
type object struct {
	name          string // "user", as messages name it.
	template, key string // The URL template and the name of its id parameter.
	sel           string // $select.
	permissions   []string
	factory       absser.ParsableFactory
}

// identified is what every directory object model has: GetUser and GetGroup tell an answer
// without an id from a real object with it.
type identified interface{ GetId() *string }

// get builds its request with kiota's RequestInformation instead of msgraph-sdk-go's users and
// groups request builders: those packages hold thousands of files each, and two GETs do not
// justify compiling them. The response is still parsed into the SDK's typed model.
func get[T identified](ctx context.Context, c *m365.Client, o object, id string) (T, error) {
	var zero T
	op := m365.Operation{Action: "reading", Object: fmt.Sprintf("%s %q", o.name, id), Permissions: o.permissions}
	ri := abs.NewRequestInformationWithMethodAndUrlTemplateAndPathParameters(abs.GET, o.template, map[string]string{o.key: id})
	ri.QueryParameters["%24select"] = o.sel
	ri.Headers.TryAdd("Accept", "application/json")
	v, err := c.Graph().Send(ctx, ri, o.factory, abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
	if err != nil {
		return zero, m365.GraphError(err, op)
	}
	t, ok := v.(T)
	if !ok || t.GetId() == nil {
		return zero, &m365.APIError{Kind: m365.KindNotFound, Status: http.StatusNotFound, Message: "empty response", Op: op}
	}
	return t, nil
}
