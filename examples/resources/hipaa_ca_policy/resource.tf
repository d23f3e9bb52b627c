# An emergency-access (break-glass) account of the tenant. List it in the provider's
# emergency_access_user_ids too: plan fails for an enabled policy that blocks or requires MFA of
# all users without excluding it. (Against devtenant: $HIPAA_DEVTENANT_BREAK_GLASS_USER_ID.)
variable "break_glass_user_id" {
  description = "Object id of the emergency-access user."
  type        = string
}

# The policies for all users leave the emergency-access account out, and say so in one place.
locals {
  all_users_but_break_glass = {
    include_users = ["All"]
    exclude_users = [var.break_glass_user_id]
  }
}

# MFA for every user, rolled out in report-only mode first: the sign-in logs show whom the policy
# would have challenged before anyone is. Switch state to "enabled" once they look right.
resource "hipaa_ca_policy" "require_mfa_all_users" {
  display_name = "HIPAA - Require MFA for all users"
  state        = "report_only"

  conditions = {
    users = local.all_users_but_break_glass
    applications = {
      include_applications = ["All"]
    }
    client_app_types = ["all"]
  }

  grant_controls = {
    operator          = "OR"
    built_in_controls = ["mfa"]
  }
}

# Legacy authentication (Exchange ActiveSync, IMAP, POP, SMTP AUTH and other basic-auth clients)
# cannot do MFA, so it is blocked outright.
resource "hipaa_ca_policy" "block_legacy_authentication" {
  display_name = "HIPAA - Block legacy authentication"
  state        = "enabled"

  conditions = {
    users = local.all_users_but_break_glass
    applications = {
      include_applications = ["All"]
    }
    client_app_types = ["exchangeActiveSync", "other"]
  }

  grant_controls = {
    operator          = "OR"
    built_in_controls = ["block"]
  }
}

# Administrators sign in only from a compliant device, with MFA, and again every four hours.
resource "hipaa_ca_policy" "admins_compliant_device" {
  display_name = "HIPAA - Administrators require a compliant device"
  state        = "report_only"

  conditions = {
    users = {
      include_roles = [
        "62e90394-69f5-4237-9190-012177145e10", # Global Administrator
        "e8611ab8-c189-46e8-94e1-60213ab1f814", # Privileged Role Administrator
        "194ae4cb-b126-40b2-bd5b-6091b380977d", # Security Administrator
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", # Conditional Access Administrator
        "29232cdf-9323-42fd-ade2-1d097af3e4de", # Exchange Administrator
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", # SharePoint Administrator
        "fe930be7-5e62-47db-91af-98c3a49a38b1", # User Administrator
      ]
      exclude_users = [var.break_glass_user_id]
    }
    applications = {
      include_applications = ["All"]
    }
    client_app_types = ["all"]
  }

  grant_controls = {
    operator          = "AND"
    built_in_controls = ["mfa", "compliantDevice"]
  }

  session_controls = {
    sign_in_frequency = {
      value              = 4
      type               = "hours"
      frequency_interval = "timeBased"
    }
    persistent_browser = "never"
  }
}
