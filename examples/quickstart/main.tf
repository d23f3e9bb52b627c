# Quickstart: the Conditional Access part of the HIPAA checklist, for a tenant whose emergency-access
# ("break-glass") account is var.break_glass_user_id. `make demo` runs it against devtenant.
#
# Authentication comes from the environment (ARM_TENANT_ID, ARM_CLIENT_ID, ARM_CLIENT_SECRET, ...);
# against devtenant, `source <data-dir>/env.sh` sets all of it.

terraform {
  required_providers {
    hipaa = {
      source = "hipaa365/hipaa"
    }
  }
}

variable "break_glass_user_id" {
  description = "Object id of the emergency-access account every policy excludes."
  type        = string
}

provider "hipaa" {
  emergency_access_user_ids = [var.break_glass_user_id]
}

# 164.312(d) person or entity authentication: MFA for every user, break-glass excluded.
resource "hipaa_ca_policy" "require_mfa" {
  display_name = "HIPAA - Require MFA - All users"
  state        = "enabled"
  conditions = {
    users = {
      include_users = ["All"]
      exclude_users = [var.break_glass_user_id]
    }
    applications = {
      include_applications = ["All"]
    }
  }
  grant_controls = {
    built_in_controls = ["mfa"]
  }
}

# 164.312(d): legacy protocols cannot do MFA, so they are blocked.
resource "hipaa_ca_policy" "block_legacy_auth" {
  display_name = "HIPAA - Block legacy authentication"
  state        = "enabled"
  conditions = {
    users = {
      include_users = ["All"]
      exclude_users = [var.break_glass_user_id]
    }
    applications = {
      include_applications = ["All"]
    }
    client_app_types = ["exchangeActiveSync", "other"]
  }
  grant_controls = {
    built_in_controls = ["block"]
  }
}

# 164.312(a)(2)(iii) automatic logoff: re-authenticate every 8 hours, no persistent browser sessions.
resource "hipaa_ca_policy" "session_limits" {
  display_name = "HIPAA - Session lifetime"
  state        = "enabled"
  conditions = {
    users = {
      include_users = ["All"]
      exclude_users = [var.break_glass_user_id]
    }
    applications = {
      include_applications = ["All"]
    }
  }
  session_controls = {
    sign_in_frequency = {
      value = 8
      type  = "hours"
    }
    persistent_browser = "never"
  }
}

output "policy_ids" {
  value = {
    require_mfa       = hipaa_ca_policy.require_mfa.id
    block_legacy_auth = hipaa_ca_policy.block_legacy_auth.id
    session_limits    = hipaa_ca_policy.session_limits.id
  }
}
