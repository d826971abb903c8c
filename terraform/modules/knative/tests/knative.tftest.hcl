# Runs where hashicorp/kubernetes is installed (check.sh skips it otherwise); the mock provider
# needs no cluster.

mock_provider "kubernetes" {}

variables {
  manifests = {
    "20-broker" = {
      apiVersion = "eventing.knative.dev/v1"
      kind       = "Broker"
      metadata   = { name = "default", namespace = "spillway" }
      spec       = {}
    }
    "30-service-gateway" = {
      apiVersion = "serving.knative.dev/v1"
      kind       = "Service"
      metadata   = { name = "gateway", namespace = "spillway" }
      spec = {
        template = {
          spec = { containers = [{ image = "registry.example.com/spillway/gateway:1.0.0" }] }
        }
      }
    }
    "00-namespace" = {
      apiVersion = "v1"
      kind       = "Namespace"
      metadata   = { name = "spillway" }
    }
  }
}

run "applies_every_manifest_and_waits_for_ready" {
  command = plan

  assert {
    condition     = toset(keys(kubernetes_manifest.this)) == toset(["00-namespace", "20-broker", "30-service-gateway"])
    error_message = "One kubernetes_manifest per manifest."
  }
  assert {
    condition     = kubernetes_manifest.this["30-service-gateway"].wait[0].condition[0].type == "Ready" && kubernetes_manifest.this["30-service-gateway"].wait[0].condition[0].status == "True"
    error_message = "Knative Services are waited on until Ready=True."
  }
  assert {
    condition     = length(kubernetes_manifest.this["00-namespace"].wait) == 0
    error_message = "No wait on a Namespace."
  }
  assert {
    condition     = contains(kubernetes_manifest.this["30-service-gateway"].computed_fields, "spec.template.metadata.annotations") && contains(kubernetes_manifest.this["30-service-gateway"].computed_fields, "spec.template.spec.containers[0].env")
    error_message = "Webhook-defaulted fields are computed."
  }
  assert {
    condition     = kubernetes_manifest.this["20-broker"].timeouts[0].create == "10m"
    error_message = "Create timeout defaults to 10m."
  }
}

run "rejects_a_manifest_without_kind" {
  command = plan
  variables {
    manifests = {
      broken = { apiVersion = "v1", metadata = { name = "x" } }
    }
  }
  expect_failures = [var.manifests]
}
