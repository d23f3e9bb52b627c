# A Conditional Access policy is imported by its object id: the "Policy ID" in the Entra admin
# center (Protection > Conditional Access > Policies), or the id returned by
# GET https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies.
terraform import hipaa_ca_policy.require_mfa_all_users 00000000-0000-0000-0000-000000000000
