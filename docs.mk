# Copyright (c) hipaa365
# SPDX-License-Identifier: MPL-2.0

# docs.mk: documentation targets, included by GNUmakefile.
#
#   make docs        formats examples/ and regenerates docs/ from templates/, examples/ and the
#                    provider schema.
#   make docs-check  fails when examples/ is not formatted or invalid, or when the committed docs/
#                    differs from what `make docs` would write; `make test` depends on it.
#
# Both run offline. tfplugindocs would otherwise build the provider itself and run
# `terraform init`, which needs the registry (or downloads Terraform when none is on PATH), so we
# hand it the schema instead: the provider is built into bin/, Terraform loads it through a
# dev_overrides CLI config of our own (no init needed) and `terraform providers schema -json`
# writes the JSON that `tfplugindocs --providers-schema` reads. The only downloads are Go modules
# through the module proxy. The CLI is $(TERRAFORM): Terraform or OpenTofu, which take the same
# commands and CLI config (make docs-check TERRAFORM=bin/tofu-1.12.6).

# GNUmakefile normally defines TERRAFORM (TF_ACC_TERRAFORM_PATH or PATH, made absolute); this is
# the fallback for running the fragment on its own.
TERRAFORM ?= $(shell command -v terraform 2>/dev/null)

DOCS_BIN_DIR      := $(CURDIR)/bin
TFPLUGINDOCS      := $(DOCS_BIN_DIR)/tfplugindocs
# tfplugindocs joins --rendered-website-dir to --provider-dir, so the check output needs a path
# relative to the repository root as well as the absolute one.
DOCS_WORK_REL     := bin/docs-work
DOCS_WORK_DIR     := $(CURDIR)/$(DOCS_WORK_REL)
DOCS_TF_CONFIG    := $(DOCS_WORK_DIR)/terraform.tfrc
DOCS_SCHEMA_DIR   := $(DOCS_WORK_DIR)/schema
DOCS_SCHEMA_JSON  := $(DOCS_SCHEMA_DIR)/providers-schema.json
DOCS_CHECK_REL    := $(DOCS_WORK_REL)/check/docs

# A CLI config of our own: the machine's TF_CLI_CONFIG_FILE may point at a missing file, and
# CHECKPOINT_DISABLE stops Terraform from phoning home for version news.
DOCS_TF_ENV := CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE=$(DOCS_TF_CONFIG)

DOCS_TFPLUGINDOCS_FLAGS := --provider-dir $(CURDIR) --provider-name hipaa \
	--providers-schema $(DOCS_SCHEMA_JSON)

# Example directories that hold a Terraform module of their own and must pass
# `terraform validate`; quickstart/ is the demo and is validated by its own workflow.
DOCS_EXAMPLE_DIRS := $(wildcard examples/provider examples/resources/* examples/data-sources/*)

.PHONY: docs docs-check docs-terraform docs-tools docs-provider docs-schema docs-tf-config docs-fmt \
	docs-fmt-check docs-validate-examples

docs: docs-fmt docs-schema docs-tools
	$(TFPLUGINDOCS) generate $(DOCS_TFPLUGINDOCS_FLAGS)

docs-check: docs-fmt-check docs-validate-examples docs-schema docs-tools
	@rm -rf $(DOCS_WORK_DIR)/check
	$(TFPLUGINDOCS) generate $(DOCS_TFPLUGINDOCS_FLAGS) --rendered-website-dir $(DOCS_CHECK_REL) >/dev/null
	@if ! diff -ru docs $(DOCS_CHECK_REL); then \
		echo "docs/ is out of date: run make docs and commit" >&2; exit 1; \
	fi
	@if ! out=$$($(TFPLUGINDOCS) validate --provider-dir $(CURDIR) --provider-name hipaa \
		--providers-schema $(DOCS_SCHEMA_JSON) 2>&1); then \
		echo "$$out" >&2; echo "docs/ does not pass tfplugindocs validate (see above)" >&2; exit 1; \
	fi
	@echo "docs/ is up to date."

docs-terraform:
	@if [ -z "$(TERRAFORM)" ] || ! command -v "$(TERRAFORM)" >/dev/null 2>&1; then \
		echo "terraform not found: install Terraform >= 1.5 (https://developer.hashicorp.com/terraform/install)" >&2; \
		echo "and put it on PATH, or set TF_ACC_TERRAFORM_PATH=/path/to/terraform (or to OpenTofu's tofu)." >&2; exit 1; \
	fi

# The tool has its own module in tools/, so its dependencies stay out of the provider's go.mod.
docs-tools: $(TFPLUGINDOCS)

$(TFPLUGINDOCS): tools/go.mod tools/go.sum
	cd tools && go build -o $@ github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs

# The provider binary Terraform loads through dev_overrides. GNUmakefile's $(BINARY) rule builds it
# with the release flags; on its own, the fragment delegates to go build, which is incremental and
# knows better than make when the provider is stale.
ifdef BINARY
DOCS_PROVIDER_BIN := $(BINARY)
docs-provider: $(BINARY)
else
DOCS_PROVIDER_BIN := $(DOCS_BIN_DIR)/terraform-provider-hipaa
docs-provider:
	go build -o $(DOCS_PROVIDER_BIN) .
endif
# dev_overrides takes the directory that holds terraform-provider-hipaa.
DOCS_PROVIDER_DIR = $(patsubst %/,%,$(dir $(DOCS_PROVIDER_BIN)))

# dev_overrides lists every address the provider goes by here: examples/provider and quickstart
# use the real source hipaa365/hipaa, the resource examples the implied hashicorp/hipaa, and the
# schema run names registry.terraform.io/hashicorp/hipaa, the only non-bare key tfplugindocs looks
# up in the schema JSON. Each short address under both registries' hosts: Terraform reads a short
# source as registry.terraform.io/..., OpenTofu as registry.opentofu.org/....
docs-tf-config:
	@mkdir -p $(DOCS_WORK_DIR)
	@printf '%s\n' \
		'# Generated by docs.mk: loads the provider from bin/ without terraform init.' \
		'provider_installation {' \
		'  dev_overrides {' \
		'    "registry.terraform.io/hipaa365/hipaa"  = "$(DOCS_PROVIDER_DIR)"' \
		'    "registry.terraform.io/hashicorp/hipaa" = "$(DOCS_PROVIDER_DIR)"' \
		'    "registry.opentofu.org/hipaa365/hipaa"  = "$(DOCS_PROVIDER_DIR)"' \
		'    "registry.opentofu.org/hashicorp/hipaa" = "$(DOCS_PROVIDER_DIR)"' \
		'  }' \
		'  direct {}' \
		'}' >$(DOCS_TF_CONFIG)

docs-schema: docs-terraform docs-provider docs-tf-config
	@rm -rf $(DOCS_SCHEMA_DIR) && mkdir -p $(DOCS_SCHEMA_DIR)
	@printf '%s\n' 'terraform {' \
		'  required_providers {' \
		'    hipaa = { source = "registry.terraform.io/hashicorp/hipaa" }' \
		'  }' \
		'}' \
		'provider "hipaa" {}' >$(DOCS_SCHEMA_DIR)/main.tf
	cd $(DOCS_SCHEMA_DIR) && $(DOCS_TF_ENV) $(TERRAFORM) providers schema -json >$(DOCS_SCHEMA_JSON).tmp 2>schema.log \
		|| { cat schema.log >&2; exit 1; }
	@mv $(DOCS_SCHEMA_JSON).tmp $(DOCS_SCHEMA_JSON)

docs-fmt: docs-terraform docs-tf-config
	$(DOCS_TF_ENV) $(TERRAFORM) fmt -recursive examples/

docs-fmt-check: docs-terraform docs-tf-config
	@if ! $(DOCS_TF_ENV) $(TERRAFORM) fmt -check -recursive -diff examples/; then \
		echo "examples/ is not formatted: run make docs (or terraform fmt -recursive examples/) and commit" >&2; exit 1; \
	fi

# validate needs no init with dev_overrides; the overrides warning goes to stderr and is dropped
# unless the run fails.
docs-validate-examples: docs-terraform docs-provider docs-tf-config
	@for dir in $(DOCS_EXAMPLE_DIRS); do \
		if ! out=$$($(DOCS_TF_ENV) $(TERRAFORM) -chdir=$$dir validate -no-color 2>&1); then \
			echo "$$out" >&2; echo "$$dir: terraform validate failed" >&2; exit 1; \
		fi; \
		echo "$$dir: valid"; \
	done
