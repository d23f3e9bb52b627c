# Adopt a tenant's existing settings: import the baseline with the tenant (directory) id.
terraform import hipaa_baseline.this 00000000-0000-0000-0000-000000000000
