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

output "mfa_policy_id" {
  value = hipaa_baseline.this.mfa.policy_id
}
