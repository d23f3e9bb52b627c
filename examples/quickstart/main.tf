# Quickstart: the whole HIPAA checklist for one tenant, every block present, with the settings
# that matter spelled out. `make demo` applies this against devtenant.
#
# Authentication comes from the environment. SharePoint's admin API accepts only certificate
# credentials for app-only access, so use ARM_CLIENT_CERTIFICATE_PATH (devtenant: the writer
# app's certificate) rather than a client secret when the `sharing` block is present.

terraform {
  required_providers {
    hipaa = {
      source = "hipaa365/hipaa"
    }
  }
}

variable "break_glass_user_id" {
  description = "Object id of the emergency-access (break-glass) user."
  type        = string
}

provider "hipaa" {
  emergency_access_user_ids = [var.break_glass_user_id]
}

resource "hipaa_baseline" "this" {
  emergency_access {
    user_ids = [var.break_glass_user_id]
  }

  # 164.312(d): MFA for every user. Roll out as report_only, check the sign-in logs, then enable.
  mfa {
    state = "enabled"
  }

  legacy_authentication {
    state = "enabled"
  }

  # Phishing-resistant MFA for the privileged directory roles.
  admins {
    state = "enabled"
  }

  devices {
    state = "report_only"
  }

  # 164.312(a)(2)(iii) automatic logoff.
  session {
    state                   = "enabled"
    sign_in_frequency_hours = 8
    idle_sign_out_minutes   = 15
  }

  authentication_methods {}

  sharing {
    sharing_capability           = "existingExternalUserSharingOnly"
    guest_access_expiration_days = 30
    unmanaged_devices            = "block"
  }

  guests {}

  # 164.312(b) audit controls; 164.316(b)(2) six-year retention.
  audit {
    retention_days = 2190
  }

  # 164.312(e) transmission security.
  email {
    tls_partner_domains = []
  }

  alerts {}
}

# The HIPAA assessment on every plan: the gaps print as warnings until they are closed. The
# accepted risks (exceptions, with an expiry) and the evidence for the manual controls
# (attestations) live in assessment.json, which `terraform-provider-hipaa drift --config` reads too.
locals {
  assessment = jsondecode(file("${path.module}/assessment.json"))
}

data "hipaa_assessment" "this" {
  exceptions   = local.assessment.exceptions
  attestations = local.assessment.attestations
}

# A failed assertion prints a warning, never fails the plan. The data source sits outside the
# check block on purpose: Terraform re-reads a check-scoped data source during every apply,
# which would make `plan -detailed-exitcode` report a change on every run.
check "hipaa" {
  assert {
    condition     = data.hipaa_assessment.this.compliant
    error_message = "HIPAA gaps (score ${data.hipaa_assessment.this.score}):\n${join("\n", data.hipaa_assessment.this.gaps)}"
  }
}

output "mfa_policy_id" {
  value = hipaa_baseline.this.mfa.policy_id
}
