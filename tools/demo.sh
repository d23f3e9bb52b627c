#!/usr/bin/env bash
# make demo: the whole loop on an emulated tenant, offline.
#   1. start devtenant with a non-compliant clinic tenant
#   2. terraform plan shows the HIPAA drift, apply fixes it
#   3. an administrator changes a policy "in the portal" (a direct Graph call)
#   4. terraform plan -detailed-exitcode finds that drift (exit 2), apply repairs it, plan is clean
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BINARY=${BINARY:-$root/bin/terraform-provider-hipaa}
TERRAFORM=${TERRAFORM:-terraform}
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

# Terraform finds the freshly built provider through dev_overrides, in a CLI config of our own.
# No `terraform init`: with dev_overrides it would still ask the registry, which is offline.
cat >"$demo/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/hipaa365/hipaa" = "$(dirname "$BINARY")"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE=$demo/terraformrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export TF_VAR_break_glass_user_id=$HIPAA_DEVTENANT_BREAK_GLASS_USER_ID
cp "$root"/examples/quickstart/*.tf "$demo/work/"
cd "$demo/work"
tf() { "$TERRAFORM" "$@"; }

say "terraform plan: the HIPAA drift of this tenant (the Conditional Access policies it lacks)"
tf plan -input=false -no-color | sed -n '/Terraform will perform/,$p'

say "terraform apply: remediate"
tf apply -input=false -auto-approve -no-color | grep -E '^(hipaa_|Apply complete)'

say "An administrator disables the MFA policy in the portal (a direct Microsoft Graph call)"
policy_id=$(tf output -json policy_ids | sed -E 's/.*"require_mfa":"([^"]+)".*/\1/')
token=$(curl -fsS --cacert "$demo/tenant/ca.pem" "${HIPAA_AUTHORITY_HOST}${ARM_TENANT_ID}/oauth2/v2.0/token" \
  -d grant_type=client_credentials -d "client_id=$ARM_CLIENT_ID" --data-urlencode "client_secret=$ARM_CLIENT_SECRET" \
  --data-urlencode "scope=$HIPAA_GRAPH_ENDPOINT/.default" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
curl -fsS --cacert "$demo/tenant/ca.pem" -X PATCH -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"state":"disabled"}' "$HIPAA_GRAPH_ENDPOINT/v1.0/identity/conditionalAccess/policies/$policy_id" -o /dev/null -w 'PATCH policy -> HTTP %{http_code}\n'

say "terraform plan -detailed-exitcode: the drift is found"
set +e
tf plan -input=false -no-color -detailed-exitcode >"$demo/drift-plan.txt"
code=$?
set -e
sed -n '/Terraform will perform/,$p' "$demo/drift-plan.txt"
echo "terraform plan exit code: $code (2 = drift)"
[ "$code" -eq 2 ] || { echo "expected exit code 2"; exit 1; }

say "terraform apply: repair the drift"
tf apply -input=false -auto-approve -no-color | grep -E '^(hipaa_|Apply complete)'

say "terraform plan -detailed-exitcode: clean"
tf plan -input=false -no-color -detailed-exitcode >/dev/null
echo "terraform plan exit code: 0 (no drift)"

say "Stopping devtenant"
kill "$devtenant_pid"
wait "$devtenant_pid" 2>/dev/null || true
trap - EXIT
echo "Done. devtenant's state is in $demo/tenant, Terraform's in $demo/work."
