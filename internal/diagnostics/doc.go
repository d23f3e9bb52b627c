// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

// Package diagnostics is the one way the provider words what went wrong: a failed Microsoft 365
// call (classified, with what to do about it), an error on a nested attribute that names its
// path, and the rule every summary follows.
//
// Summaries are short, in Title Case (every word capitalised but articles, conjunctions and short
// prepositions: "Error Waiting for Conditional Access Policy Creation"), with no final period, as
// terraform-plugin-framework recommends. They take one of three forms:
//
//   - An operation on what the configuration manages failed: "Error <Operation> <Object>", built
//     by ErrorSummary. The object is the Terraform object the practitioner wrote: "Conditional
//     Access Policy" (hipaa_ca_policy), "<Block> Block" (a block of hipaa_baseline, named from
//     the block's name: "Guests Block", "MFA Block"), "HIPAA Baseline" (the whole resource),
//     "HIPAA Assessment" (the data source). The operation is the one Terraform asked for:
//     Creating, Reading, Updating, Deleting, Importing for a resource; Reading, Applying,
//     Releasing for a baseline block. Which step inside the operation failed (the object in
//     Microsoft 365, the call, the permission) is the detail's first sentence, never the summary.
//   - A check or prerequisite the provider could not complete, as an error or as a warning when
//     the operation goes on: "Unable to <Verb> <What>" ("Unable to Verify Emergency-Access
//     Accounts", "Unable to Check Licences").
//   - A condition the provider found (invalid configuration, a finding, a notice): a noun phrase
//     that names it ("Invalid Import ID", "Objects Already Exist", "Security Defaults Turned
//     Back On").
package diagnostics

// ErrorSummary is the summary of a failed operation: ErrorSummary("Applying", "Guests Block") is
// "Error Applying Guests Block".
func ErrorSummary(operation, object string) string {
	return "Error " + operation + " " + object
}
