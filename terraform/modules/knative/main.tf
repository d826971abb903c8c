# Applies the objects rendered by modules/knative-manifests with server-side apply.

locals {
  # Objects whose status carries a Ready condition worth waiting for.
  ready_kinds = ["Service", "Broker", "Trigger", "SinkBinding", "PingSource", "Cluster"]

  # Fields the API server or Knative's webhooks change after apply, which Terraform must not treat
  # as drift: Knative adds serving.knative.dev/creator and lastModifier annotations and defaults the
  # revision template's annotations; the SinkBinding webhook injects K_SINK (and K_CE_OVERRIDES)
  # into the producers' containers.
  computed_fields = {
    Service = [
      "metadata.annotations",
      "metadata.labels",
      "spec.template.metadata.annotations",
      "spec.template.metadata.labels",
      "spec.template.spec.containers[0].env",
    ]
  }
  default_computed_fields = ["metadata.annotations", "metadata.labels"]
}

resource "kubernetes_manifest" "this" {
  for_each = var.manifests

  manifest        = each.value
  computed_fields = lookup(local.computed_fields, each.value.kind, local.default_computed_fields)

  field_manager {
    name            = var.field_manager
    force_conflicts = false
  }

  dynamic "wait" {
    for_each = var.wait_for_ready && contains(local.ready_kinds, each.value.kind) ? [1] : []
    content {
      # Knative and CNPG list Ready among other conditions, not always first: match it by type.
      condition {
        type   = "Ready"
        status = "True"
      }
    }
  }

  timeouts {
    create = var.create_timeout
    update = var.update_timeout
    delete = var.delete_timeout
  }
}
