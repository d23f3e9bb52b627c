# Terraform 1.5+: adopt a tenant's existing settings with an import block (tenant id).
import {
  to = hipaa_baseline.this
  id = "00000000-0000-0000-0000-000000000000"
}
