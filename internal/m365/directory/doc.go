// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package directory is the one home of Microsoft Entra's directory as the provider sees it:
//
//   - roles.go and catalog.go name the built-in directory roles by their template ids, which are
//     the same in every tenant (builtin.tsv is the catalog; the constants are the roles the code
//     names). The baseline's policies, the validators and the assessment's checks read them here,
//     so that no other package spells a role template id.
//   - users.go reads users and groups of Microsoft Graph v1.0 by object id: the lockout guard
//     checks, before any Conditional Access write, that every emergency-access id names an
//     object of the kind the configuration says it is.
//
// A missing user or group is an *m365.APIError of kind m365.KindNotFound (test it with
// m365.IsNotFound), as in every service package under internal/m365.
package directory
