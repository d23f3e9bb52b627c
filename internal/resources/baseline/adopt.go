// Copyright (c) hipaa365 contributors
// SPDX-License-Identifier: MPL-2.0

package baseline

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/hipaa365/terraform-provider-hipaa/internal/diagnostics"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/capolicies"
	"github.com/hipaa365/terraform-provider-hipaa/internal/m365/cmdlets"
)

// No clobbering. A block finds the objects it manages by the baseline's names (names.go), so a
// block that starts being managed would take over whatever already carries those names: a
// Conditional Access policy another configuration manages would be rewritten, and two states
// would own one tenant. Before any write, Create and Update therefore look up the objects of
// every block they start managing, and refuse when one exists, naming it and saying how to adopt
// it on purpose: `terraform import`, or adopt_existing = true. Once a block is managed, its
// names are its own.

// ownedObject is an object a block creates under a baseline name.
type ownedObject struct {
	kind string // How admins know it, e.g. "Conditional Access policy".
	name string
	// find returns the ids of the objects of that name in the tenant.
	find func(ctx context.Context, e *env) ([]string, error)
}

// ownerBlock is a block that creates named objects.
type ownerBlock interface {
	block
	// owned lists the objects the planned block creates or finds by name.
	owned(ctx context.Context, plan types.Object) []ownedObject
}

// caPolicyObject is a baseline Conditional Access policy.
func caPolicyObject(name string) ownedObject {
	return ownedObject{kind: "Conditional Access policy", name: name, find: func(ctx context.Context, e *env) ([]string, error) {
		found, err := capolicies.FindByDisplayName(ctx, e.tenant, name)
		ids := make([]string, 0, len(found))
		for _, p := range found {
			ids = append(ids, caStr(p.GetId()))
		}
		return ids, err
	}}
}

// cmdletObject is an Exchange Online or Security & Compliance object listed by Get-<noun>. An
// object that needs a licence the tenant lacks cannot exist there, so it is not looked up.
func cmdletObject(kind string, compliance bool, noun, name string, licence *Licence) ownedObject {
	return ownedObject{kind: kind, name: name, find: func(ctx context.Context, e *env) ([]string, error) {
		if licence != nil {
			if ok, err := e.licensed(ctx, *licence); err != nil || !ok {
				return nil, err
			}
		}
		cc := e.tenant.Exchange()
		if compliance {
			cc = e.tenant.Compliance()
		}
		all, err := cc.Invoke(ctx, "Get-"+noun, nil)
		if err != nil {
			return nil, err
		}
		return cmdlets.IDsNamed(all, name), nil
	}}
}

// takeover is an existing object a block would take over.
type takeover struct {
	block string
	obj   ownedObject
	ids   []string
}

// refuseTakeovers adds an error, and returns false, when a block that plan manages and prior does
// not (prior nil on create) would take over existing objects and adopt_existing is false. Nothing
// has been written when it returns.
func refuseTakeovers(ctx context.Context, e *env, plan tfsdk.Plan, prior *tfsdk.State, tenantID string, diags *diag.Diagnostics) bool {
	var adopt types.Bool
	diags.Append(plan.GetAttribute(ctx, path.Root("adopt_existing"), &adopt)...)
	if diags.HasError() || adopt.ValueBool() {
		return !diags.HasError()
	}
	var found []takeover
	for _, b := range blocks() {
		ob, ok := b.(ownerBlock)
		if !ok {
			continue
		}
		p, s := nullOf(b), nullOf(b)
		diags.Append(plan.GetAttribute(ctx, path.Root(b.Name()), &p)...)
		if prior != nil {
			diags.Append(prior.GetAttribute(ctx, path.Root(b.Name()), &s)...)
		}
		if !isManaged(p) || isManaged(s) {
			continue
		}
		for _, o := range ob.owned(ctx, p) {
			ids, err := o.find(ctx, e)
			if err != nil {
				diags.Append(diagnostics.APIErrorDiagnostic("Unable to Check for Existing Objects",
					fmt.Errorf("looking for the %s %q of the %s block before creating it: %w", o.kind, o.name, b.Name(), err)))
				return false
			}
			if len(ids) > 0 {
				sort.Strings(ids)
				found = append(found, takeover{block: b.Name(), obj: o, ids: ids})
			}
		}
	}
	if len(found) == 0 {
		return !diags.HasError()
	}
	diags.Append(takeoverDiagnostic(found, prior == nil, tenantID))
	return false
}

func takeoverDiagnostic(found []takeover, creating bool, tenantID string) diag.Diagnostic {
	var b strings.Builder
	b.WriteString("The tenant already has objects with the names the baseline gives its own. Another Terraform configuration, " +
		"or an administrator, may manage them, so the baseline does not take them over silently. Nothing was changed.\n")
	for _, t := range found {
		fmt.Fprintf(&b, "\n  - %s %q (%s block), id %s", t.obj.kind, t.obj.name, t.block, strings.Join(t.ids, ", "))
	}
	b.WriteString("\n\nIf another configuration manages them, leave these blocks out of this one. To manage them with this baseline, ")
	if creating {
		fmt.Fprintf(&b, "import them (import adopts every block the tenant has; the next apply brings them to the checklist):\n\n"+
			"  terraform import hipaa_baseline.<name> %s\n\n"+
			"where <name> is this resource's name (or an import block: import { to = hipaa_baseline.<name>, id = %q }), "+
			"or set adopt_existing = true to take them over on apply.", tenantID, tenantID)
	} else {
		b.WriteString("set adopt_existing = true to take them over on apply (the baseline is already in the state, so " +
			"`terraform import` would first need `terraform state rm`).")
	}
	return diag.NewErrorDiagnostic("Objects Already Exist", b.String())
}

// adoptExistingDescription documents adopt_existing.
const adoptExistingDescription = "Whether apply may take over objects that already exist with the baseline's names (Conditional " +
	"Access policies, mail flow rules, Defender policies, the outbound connector, the audit retention policy, alert policies) " +
	"when a block starts being managed. With `false` apply fails before changing anything, names the objects and gives the " +
	"`terraform import` command, because another configuration may manage them. Import adopts them without this. " +
	"Defaults to `false`."
