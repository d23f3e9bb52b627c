#!/usr/bin/env bash
# make demo: the whole loop on an emulated tenant, offline.
#   1. start devtenant with a non-compliant clinic tenant
#   2. terraform plan shows the HIPAA drift (the whole hipaa_baseline), apply fixes it
#   3. administrators change two settings "in the portal" (direct Graph and Exchange calls)
#   4. terraform plan -detailed-exitcode finds exactly that drift (exit 2), apply repairs it, plan is clean
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BINARY=${BINARY:-$root/bin/terraform-provider-hipaa}
# Terraform or OpenTofu (make demo TERRAFORM=bin/tofu-1.12.6), made absolute: the demo runs it
# from its own work directory.
TERRAFORM=${TERRAFORM:-terraform}
TERRAFORM=$(command -v "$TERRAFORM") || { echo "$0: no Terraform or OpenTofu CLI at ${TERRAFORM}" >&2; exit 1; }
[[ $TERRAFORM == /* ]] || TERRAFORM=$PWD/$TERRAFORM
demo=$root/.demo
rm -rf "$demo"
mkdir -p "$demo/tenant" "$demo/work"

say() { printf '\n\033[1;36m==> %s\033[0m\n' "$*"; }

say "Starting devtenant (an emulated Microsoft 365 tenant) with the 'noncompliant' seed: a small clinic with no MFA policy"
"$BINARY" devtenant --data-dir "$demo/tenant" --seed noncompliant >"$demo/devtenant.log" 2>&1 &
devtenant_pid=$!
trap 'kill "$devtenant_pid" 2>/dev/null; wait "$devtenant_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q '^devtenant ready at ' "$demo/devtenant.log" 2>/dev/null && break
  kill -0 "$devtenant_pid" 2>/dev/null || { cat "$demo/devtenant.log"; exit 1; }
  sleep 0.1
done
grep '^devtenant ready at ' "$demo/devtenant.log"
# shellcheck disable=SC1091
source "$demo/tenant/env.sh"

# Terraform finds the freshly built provider through dev_overrides, in a CLI config of our own
# (OpenTofu reads TF_CLI_CONFIG_FILE too). No `terraform init`: with dev_overrides it would still
# ask the registry, which is offline. The quickstart's short source hipaa365/hipaa is
# registry.terraform.io/hipaa365/hipaa to Terraform and registry.opentofu.org/hipaa365/hipaa to
# OpenTofu, so both are overridden.
cat >"$demo/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/hipaa365/hipaa" = "$(dirname "$BINARY")"
    "registry.opentofu.org/hipaa365/hipaa" = "$(dirname "$BINARY")"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE=$demo/terraformrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export TF_VAR_break_glass_user_id=$HIPAA_DEVTENANT_BREAK_GLASS_USER_ID
# env.sh signs Terraform in with the writer app's certificate (SharePoint's admin API takes only
# certificates for app-only access); the "portal" calls below use the app's client secret.
portal_secret=$HIPAA_DEVTENANT_CLIENT_SECRET
cp "$root"/examples/quickstart/*.tf "$root"/examples/quickstart/*.json "$demo/work/"
cd "$demo/work"
tf() { "$TERRAFORM" "$@"; }

say "terraform plan: the HIPAA drift of this tenant (every block of the checklist differs)"
tf plan -input=false -no-color >"$demo/plan.txt"
grep -E '^ +[+~-] (resource|[a-z_]+ \{)|^Plan:|Warning:' "$demo/plan.txt" | grep -v -e 'development overrides' -e 'Check block assertion'
echo "(full plan: $demo/plan.txt)"

say "The HIPAA assessment (check block with data.hipaa_assessment): the gaps before remediation"
# The check's warning runs from "HIPAA gaps" to the next warning or the end of the plan.
awk '/HIPAA gaps/{on=1} on && (/^Warning:/ || /^─/){exit} on' "$demo/plan.txt"

say "terraform apply: remediate"
tf apply -input=false -auto-approve -no-color | grep -E '^(hipaa_|Apply complete)'

token() {
  curl -fsS --cacert "$demo/tenant/ca.pem" "${HIPAA_AUTHORITY_HOST}${ARM_TENANT_ID}/oauth2/v2.0/token" \
    -d grant_type=client_credentials -d "client_id=$ARM_CLIENT_ID" --data-urlencode "client_secret=$portal_secret" \
    --data-urlencode "scope=$1/.default" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
say "terraform plan after the apply: the assessment finds no gap left (accepted risks and attestations in assessment.json)"
tf plan -input=false -no-color >"$demo/plan-after.txt"
if grep -q 'HIPAA gaps' "$demo/plan-after.txt"; then
  awk '/HIPAA gaps/{on=1} on && (/^Warning:/ || /^─/){exit} on' "$demo/plan-after.txt"; echo "expected a clean assessment"; exit 1
fi
echo "check \"hipaa\": passed, no HIPAA gaps"

say "An administrator disables the MFA policy in the Entra portal (a direct Microsoft Graph call)"
policy_id=$(tf output -raw mfa_policy_id)
curl -fsS --cacert "$demo/tenant/ca.pem" -X PATCH -H "Authorization: Bearer $(token "$HIPAA_GRAPH_ENDPOINT")" \
  -H 'Content-Type: application/json' -d '{"state":"disabled"}' \
  "$HIPAA_GRAPH_ENDPOINT/v1.0/identity/conditionalAccess/policies/$policy_id" -o /dev/null -w 'PATCH policy -> HTTP %{http_code}\n'

say "Another re-allows automatic external mail forwarding in Exchange (Set-HostedOutboundSpamFilterPolicy)"
curl -fsS --cacert "$demo/tenant/ca.pem" -X POST -H "Authorization: Bearer $(token "$HIPAA_EXCHANGE_ENDPOINT")" \
  -H 'Content-Type: application/json' \
  -d '{"CmdletInput":{"CmdletName":"Set-HostedOutboundSpamFilterPolicy","Parameters":{"Identity":"Default","AutoForwardingMode":"Automatic"}}}' \
  "$HIPAA_EXCHANGE_ENDPOINT/adminapi/beta/$ARM_TENANT_ID/InvokeCommand" -o /dev/null -w 'InvokeCommand -> HTTP %{http_code}\n'

say "terraform plan -detailed-exitcode: exactly that drift is found"
set +e
tf plan -input=false -no-color -detailed-exitcode >"$demo/drift-plan.txt"
code=$?
set -e
grep -E -e '->' -e '^ +~ ' -e '^Plan:' "$demo/drift-plan.txt"
echo "terraform plan exit code: $code (2 = drift)"
[ "$code" -eq 2 ] || { echo "expected exit code 2"; exit 1; }

say "terraform apply: repair the drift"
tf apply -input=false -auto-approve -no-color | grep -E '^(hipaa_|Apply complete)'

say "terraform plan -detailed-exitcode: clean"
tf plan -input=false -no-color -detailed-exitcode >/dev/null
echo "terraform plan exit code: 0 (no drift)"

say "terraform-provider-hipaa drift: the same assessment without Terraform, with report.json and the snapshot for the auditor"
"$BINARY" drift --config "$root/examples/quickstart/assessment.json" --output-dir "$demo/report" --snapshot-out "$demo/report/snapshot.json" \
  | sed -n '1,5p'
echo "drift exit code: ${PIPESTATUS[0]} (0 = no failing control); files: $(cd "$demo/report" && echo *)"

say "Stopping devtenant"
kill "$devtenant_pid"
wait "$devtenant_pid" 2>/dev/null || true
trap - EXIT
echo "Done. devtenant's state is in $demo/tenant, Terraform's in $demo/work."
