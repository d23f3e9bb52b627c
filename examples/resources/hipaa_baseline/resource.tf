# The smallest useful baseline: MFA for everyone (report-only until you enforce it), legacy
# authentication blocked, and audit logging on. Every attribute inside a block defaults to the
# HIPAA checklist value.
variable "break_glass_user_id" {
  description = "Object id of the emergency-access (break-glass) user."
  type        = string
}

resource "hipaa_baseline" "this" {
  emergency_access {
    user_ids = [var.break_glass_user_id]
  }

  mfa {}
  legacy_authentication {}
  audit {}
}
