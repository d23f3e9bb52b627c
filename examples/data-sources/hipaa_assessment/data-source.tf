# Assess the tenant against the HIPAA Security Rule controls and print the gaps as warnings on
# every `terraform plan`: a failed check assertion is a warning, so the plan still runs. The data
# source stays outside the check block: Terraform re-reads a check-scoped data source during
# every apply, so `plan -detailed-exitcode` would report a change on every run.
data "hipaa_assessment" "this" {
  thresholds = {
    audit_retention_days     = 2190
    sign_in_frequency_hours  = 8
    mfa_registration_percent = 100
  }

  # A control you cannot meet yet: excepted with a reason and an expiry date. An expired
  # exception counts as the underlying result again.
  exceptions = [
    {
      control_id = "HIPAA.DEV.1v1"
      reason     = "Intune rollout scheduled for Q3; compensating control: VDI only."
      expires    = "2027-09-30"
    },
  ]

  # Manual controls are satisfied by attestations.
  attestations = [
    {
      control_id   = "HIPAA.MAN.1v1"
      attested_by  = "privacy.officer@contoso-clinic.example"
      date         = "2026-10-01"
      evidence_url = "https://contoso-clinic.sharepoint.com/sites/compliance/risk-analysis-2026.pdf"
      expires      = "2027-10-01"
    },
  ]
}

check "hipaa" {
  assert {
    condition     = data.hipaa_assessment.this.compliant
    error_message = "HIPAA gaps:\n${join("\n", data.hipaa_assessment.this.gaps)}"
  }
}
