terraform {
  required_version = ">= 1.5.0"

  required_providers {
    hipaa = {
      source = "hipaa365/hipaa"
    }
  }
}

# Every argument falls back to an environment variable when it is null, so this one block serves
# both targets:
#
# - The emulated tenant: start `terraform-provider-hipaa devtenant --data-dir DIR`, source
#   DIR/env.sh (ARM_*, HIPAA_*_ENDPOINT, SSL_CERT_FILE, HIPAA_EMERGENCY_ACCESS_USER_IDS) and leave
#   the variables below unset.
# - A real tenant: set the variables (or the matching ARM_* variables) for an app registration
#   that holds the Graph permissions listed on this page. Keep secrets out of .tfvars files:
#   put a client secret in ARM_CLIENT_SECRET, or better use a certificate or OIDC.

variable "tenant_id" {
  description = "Microsoft Entra tenant id (ARM_TENANT_ID when null)."
  type        = string
  default     = null
}

variable "client_id" {
  description = "Application (client) id of the app registration (ARM_CLIENT_ID when null)."
  type        = string
  default     = null
}

variable "client_certificate_path" {
  description = "PEM or PKCS#12 file with the app's certificate and key (ARM_CLIENT_CERTIFICATE_PATH when null)."
  type        = string
  default     = null
}

variable "environment" {
  description = "Microsoft cloud: public, usgovernment (GCC High), dod or china (ARM_ENVIRONMENT when null)."
  type        = string
  default     = null
}

variable "emergency_access_user_ids" {
  description = "Object ids of the break-glass users every lockout-prone policy must exclude (HIPAA_EMERGENCY_ACCESS_USER_IDS when null)."
  type        = set(string)
  default     = null
}

provider "hipaa" {
  tenant_id               = var.tenant_id
  client_id               = var.client_id
  client_certificate_path = var.client_certificate_path
  environment             = var.environment

  emergency_access_user_ids = var.emergency_access_user_ids
}
