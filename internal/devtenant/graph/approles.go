// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package graph

import "sort"

// graphRoleIDs are Microsoft Graph's application permissions (app roles) with the ids they have
// in every tenant, so that an assessment written against devtenant reads real tenants the same
// way. The list covers what the devtenant apps hold and the PHI-capable permissions.
var graphRoleIDs = map[string]string{
	"AccessReview.Read.All":                  "d07a8cc0-3d51-4b77-b3b0-32704d1f69fa",
	"Application.Read.All":                   "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
	"AuditLog.Read.All":                      "b0afded3-3588-46d8-8b3d-9842eff778da",
	"Calendars.Read":                         "798ee544-9d2d-430c-a058-570e29e34338",
	"ChannelMessage.Read.All":                "7b2449af-6ccd-4f4d-9f78-e550c193f0d1",
	"Chat.Read.All":                          "6b7d71aa-70aa-4810-a8d9-5d9fb2830017",
	"DeviceManagementApps.Read.All":          "7a6ee1e7-141e-4cec-ae74-d9db155731ff",
	"DeviceManagementConfiguration.Read.All": "dc377aa6-52d8-4e23-b271-2a7ae04cedf3",
	"Directory.Read.All":                     "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
	"Files.Read.All":                         "01d4889c-1287-42c6-ac1f-5d1e02578ef6",
	"Files.ReadWrite.All":                    "75359482-378d-4052-8f01-80520e7db3cd",
	"Group.Read.All":                         "5b567255-7703-4780-807c-7be8301ae99b",
	"GroupMember.Read.All":                   "98830695-27a2-44f7-8c18-0c3ebc9698f6",
	"Mail.Read":                              "810c84a8-4a9e-49e6-bf7d-12d183f40d01",
	"Mail.ReadWrite":                         "e2a3a72e-5f79-4c64-b1b1-878b674786c9",
	"Mail.Send":                              "b633e1c5-b582-4048-a93e-9f11b44c7e96",
	"Notes.Read.All":                         "3aeca27b-ee3a-4c2b-8ded-80376e2134a4",
	"Organization.Read.All":                  "498476ce-e0fe-48b0-b801-37ba7e2685c6",
	"Policy.Read.All":                        "246dd0d5-5bd0-4def-940b-0421030a5b68",
	"Policy.ReadWrite.ConditionalAccess":     "01c0a623-fc9b-48e9-b794-0756f8e8f067",
	"RoleEligibilitySchedule.Read.Directory": "ff278e11-4a33-4d0c-83d2-d01dc58929a5",
	"RoleManagement.Read.Directory":          "483bed4a-2ad3-4361-a73b-c83ccdbdc53c",
	"SecurityEvents.Read.All":                "bf394140-e372-4bf9-a898-299cfc7564e5",
	"SharePointTenantSettings.Read.All":      "83d4163d-a2d8-4d3b-9695-4ae3ca98f888",
	"SharePointTenantSettings.ReadWrite.All": "19b94e34-907c-4f43-bde9-38b1909ed408",
	"Sites.Read.All":                         "332a536c-c7ef-4017-ab91-336970924f0d",
	"Sites.ReadWrite.All":                    "9492366f-7969-46a4-8d15-ed1a20078fff",
	"User.Read.All":                          "df021288-bdef-4463-88db-98f22de89214",
	"RoleAssignmentSchedule.Read.Directory":  "d5fe8ce8-684c-4c83-a52c-46e882ce4be1",
}

// graphAppRoles is the appRoles collection of Microsoft Graph's service principal.
func AppRoles() []any {
	names := make([]string, 0, len(graphRoleIDs))
	for n := range graphRoleIDs {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]any, 0, len(names))
	for _, n := range names {
		out = append(out, map[string]any{
			"allowedMemberTypes": []any{"Application"}, "description": "Allows the app to use " + n + " without a signed-in user.",
			"displayName": n, "id": graphRoleIDs[n], "isEnabled": true, "origin": "Application", "value": n,
		})
	}
	return out
}
