// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package pipeline

// GraphAppID is Microsoft Graph's well-known application id, also a valid token audience.
const GraphAppID = "00000003-0000-0000-c000-000000000000"
