# Terraform 1.5 and later: adopt an existing policy by its object id at the next apply, after
# `terraform plan` has shown what the configuration would change in it.
import {
  to = hipaa_ca_policy.require_mfa_all_users
  id = "00000000-0000-0000-0000-000000000000"
}
