# Offline tests of the rendered manifests: the module has no providers, so plan evaluates all of it.

variables {
  images = {
    gateway   = "registry.example.com/spillway/gateway:1.0.0"
    quota     = "registry.example.com/spillway/quota:1.0.0"
    embedding = "registry.example.com/spillway/embedding:1.0.0"
    drift     = "registry.example.com/spillway/drift:1.0.0"
  }
}

run "defaults" {
  command = plan

  # Scale to zero for the CPU functions.
  assert {
    condition = alltrue([
      for fn in ["gateway", "quota", "drift"] :
      output.manifests["30-service-${fn}"].spec.template.metadata.annotations["autoscaling.knative.dev/min-scale"] == "0"
    ])
    error_message = "CPU services must scale to zero (autoscaling.knative.dev/min-scale = \"0\")."
  }

  # The embedding service on a GPU: min-scale 1, nvidia.com/gpu limit, node selector, tolerations.
  assert {
    condition     = output.manifests["30-service-embedding"].spec.template.metadata.annotations["autoscaling.knative.dev/min-scale"] == "1"
    error_message = "The GPU embedding service keeps one replica (min-scale 1)."
  }
  assert {
    condition     = output.manifests["30-service-embedding"].spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"] == "1"
    error_message = "The embedding container must request one nvidia.com/gpu."
  }
  assert {
    condition     = output.manifests["30-service-embedding"].spec.template.spec.nodeSelector == tomap({ "nvidia.com/gpu.present" = "true" })
    error_message = "The embedding pods select GPU nodes."
  }
  assert {
    condition     = output.manifests["30-service-embedding"].spec.template.spec.tolerations == [{ key = "nvidia.com/gpu", operator = "Exists", effect = "NoSchedule" }]
    error_message = "The embedding pods tolerate the nvidia.com/gpu NoSchedule taint."
  }
  assert {
    condition = alltrue([
      for fn in ["gateway", "quota", "drift"] :
      !contains(keys(output.manifests["30-service-${fn}"].spec.template.spec), "nodeSelector") &&
      !contains(keys(output.manifests["30-service-${fn}"].spec.template.spec), "tolerations") &&
      !contains(keys(output.manifests["30-service-${fn}"].spec.template.spec.containers[0].resources.limits), "nvidia.com/gpu")
    ])
    error_message = "Only the embedding service goes to GPU nodes."
  }
  assert {
    condition     = keys(output.manifests["30-service-gateway"].spec.template.spec) == ["containerConcurrency", "containers", "timeoutSeconds"]
    error_message = "A CPU service's pod spec has exactly containerConcurrency, containers and timeoutSeconds (nothing null left in)."
  }

  # Probes and port.
  assert {
    condition = alltrue([
      for fn in ["gateway", "quota", "embedding", "drift"] :
      output.manifests["30-service-${fn}"].spec.template.spec.containers[0].readinessProbe.httpGet == { path = "/q/health/ready", port = 8080 } &&
      output.manifests["30-service-${fn}"].spec.template.spec.containers[0].livenessProbe.httpGet == { path = "/q/health/live", port = 8080 } &&
      output.manifests["30-service-${fn}"].spec.template.spec.containers[0].ports == [{ name = "http1", containerPort = 8080 }]
    ])
    error_message = "Every service listens on 8080 with readiness /q/health/ready and liveness /q/health/live."
  }

  # Exactly one Trigger per event type, filtering on type, subscribing the service at "/".
  assert {
    condition = length([
      for k, m in output.manifests : k
      if m.kind == "Trigger" && try(m.spec.filter.attributes.type, "") == "dev.spillway.usage.recorded"
    ]) == 1
    error_message = "Exactly one Trigger for dev.spillway.usage.recorded."
  }
  assert {
    condition = length([
      for k, m in output.manifests : k
      if m.kind == "Trigger" && try(m.spec.filter.attributes.type, "") == "dev.spillway.query.sampled"
    ]) == 1
    error_message = "Exactly one Trigger for dev.spillway.query.sampled."
  }
  assert {
    condition     = length([for k, m in output.manifests : k if m.kind == "Trigger"]) == 2
    error_message = "Two Triggers in all."
  }
  assert {
    condition = output.manifests["40-trigger-quota-usage-recorded"].spec == {
      broker     = "default"
      filter     = { attributes = { type = "dev.spillway.usage.recorded" } }
      subscriber = { ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "quota" }, uri = "/" }
    }
    error_message = "The usage Trigger: broker default, filter on type, subscriber quota at /."
  }
  assert {
    condition = output.manifests["40-trigger-drift-query-sampled"].spec == {
      broker     = "default"
      filter     = { attributes = { type = "dev.spillway.query.sampled" } }
      subscriber = { ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "drift" }, uri = "/" }
    }
    error_message = "The samples Trigger: broker default, filter on type, subscriber drift at /."
  }

  # PingSource sink and schedule.
  assert {
    condition = (
      output.manifests["60-pingsource-drift"].spec.sink == { ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "drift" }, uri = "/" } &&
      output.manifests["60-pingsource-drift"].spec.schedule == "5 * * * *" &&
      output.manifests["60-pingsource-drift"].apiVersion == "sources.knative.dev/v1"
    )
    error_message = "The PingSource sinks to drift at / hourly at :05."
  }

  # SinkBindings: producers gateway and drift get K_SINK = the Broker.
  assert {
    condition = [for k, m in output.manifests : m.spec.subject if m.kind == "SinkBinding"] == [
      { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "drift" },
      { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "gateway" },
    ]
    error_message = "One SinkBinding per producer (drift, gateway), subject the Knative Service."
  }
  assert {
    condition     = alltrue([for k, m in output.manifests : m.spec.sink == { ref = { apiVersion = "eventing.knative.dev/v1", kind = "Broker", name = "default" } } if m.kind == "SinkBinding"])
    error_message = "The SinkBindings sink to the Broker."
  }

  # Wiring.
  assert {
    condition = (
      contains(output.manifests["30-service-gateway"].spec.template.spec.containers[0].env, { name = "GATEWAY_DRIFT_SINK", value = "http://broker-ingress.knative-eventing.svc.cluster.local/spillway/default" }) &&
      contains(output.manifests["30-service-gateway"].spec.template.spec.containers[0].env, { name = "GATEWAY_QUOTA_URL", value = "http://quota.spillway.svc.cluster.local" }) &&
      contains(output.manifests["30-service-drift"].spec.template.spec.containers[0].env, { name = "DRIFT_EMBEDDING_URL", value = "http://embedding.spillway.svc.cluster.local" }) &&
      contains(output.manifests["30-service-drift"].spec.template.spec.containers[0].env, { name = "DRIFT_QUOTA_URL", value = "http://quota.spillway.svc.cluster.local" }) &&
      contains(output.manifests["30-service-drift"].spec.template.spec.containers[0].env, { name = "DRIFT_SCHEDULE_EVERY", value = "off" })
    )
    error_message = "Gateway and drift are wired to the broker and to the quota and embedding services."
  }
  assert {
    condition = alltrue([
      for fn in ["gateway", "quota", "embedding", "drift"] :
      !contains([for e in output.manifests["30-service-${fn}"].spec.template.spec.containers[0].env : e.name], "K_SINK")
    ])
    error_message = "K_SINK comes from the SinkBindings, never from the manifests."
  }
  assert {
    condition = (
      contains(output.manifests["30-service-quota"].spec.template.spec.containers[0].env, { name = "QUOTA_DB_URL", value = "postgresql://spillway-db-rw.spillway.svc.cluster.local:5432/spillway" }) &&
      contains(output.manifests["30-service-quota"].spec.template.spec.containers[0].env, { name = "QUOTA_DB_PASSWORD", valueFrom = { secretKeyRef = { name = "spillway-db-app", key = "password" } } }) &&
      contains(output.manifests["30-service-drift"].spec.template.spec.containers[0].env, { name = "DRIFT_DB_USER", valueFrom = { secretKeyRef = { name = "spillway-db-app", key = "username" } } })
    )
    error_message = "quota and drift read the CNPG cluster's -rw service and -app secret."
  }
  assert {
    condition     = output.manifests["10-database"].spec.bootstrap.initdb.postInitApplicationSQL == ["CREATE EXTENSION IF NOT EXISTS vector"] && output.manifests["10-database"].spec.storage == { size = "10Gi" }
    error_message = "The CNPG cluster creates the vector extension; storage has no null storageClass."
  }
  assert {
    condition     = output.manifests["30-service-quota"].metadata.labels["networking.knative.dev/visibility"] == "cluster-local" && !contains(keys(output.manifests["30-service-gateway"].metadata.labels), "networking.knative.dev/visibility")
    error_message = "Only the gateway is public."
  }

  # No null anywhere: a null would show as `null` after a ':', '[' or ',' in the JSON form.
  assert {
    condition     = !can(regex("[:\\[,]null[,}\\]]", jsonencode(output.manifests)))
    error_message = "A manifest holds a null field."
  }
  assert {
    condition     = !can(regex("(:|-) null\\n", output.yaml)) && length(regexall("(?m)^---$", output.yaml)) == length(output.manifests)
    error_message = "The YAML holds a null, or not one document per manifest."
  }
}

run "cpu_embedding_without_database" {
  command = plan

  variables {
    embedding_gpu    = false
    create_namespace = false
    drift_schedule   = null
    database         = { enabled = false }
    function_settings = {
      quota = {
        env        = { QUOTA_DB_URL = "postgresql://db.example.internal:5432/spillway", QUOTA_DB_USER = "spillway" }
        secret_env = { QUOTA_DB_PASSWORD = { secret = "spillway-db", key = "password" } }
        max_scale  = 3
      }
    }
  }

  assert {
    condition     = output.manifests["30-service-embedding"].spec.template.metadata.annotations["autoscaling.knative.dev/min-scale"] == "0"
    error_message = "On CPU the embedding service scales to zero too."
  }
  assert {
    condition     = keys(output.manifests["30-service-embedding"].spec.template.spec) == ["containerConcurrency", "containers", "timeoutSeconds"] && !contains(keys(output.manifests["30-service-embedding"].spec.template.spec.containers[0].resources.limits), "nvidia.com/gpu")
    error_message = "No GPU fields on CPU."
  }
  assert {
    condition     = !contains(keys(output.manifests), "10-database") && !contains(keys(output.manifests), "00-namespace") && !contains(keys(output.manifests), "60-pingsource-drift")
    error_message = "No database, namespace or PingSource when switched off."
  }
  assert {
    condition = output.manifests["30-service-quota"].spec.template.spec.containers[0].env == [
      { name = "QUARKUS_HTTP_PORT", value = "8080" },
      { name = "QUOTA_DB_URL", value = "postgresql://db.example.internal:5432/spillway" },
      { name = "QUOTA_DB_USER", value = "spillway" },
      { name = "QUOTA_DB_PASSWORD", valueFrom = { secretKeyRef = { name = "spillway-db", key = "password" } } },
    ]
    error_message = "An external database comes from function_settings."
  }
  assert {
    condition     = !contains([for e in output.manifests["30-service-drift"].spec.template.spec.containers[0].env : e.name], "DRIFT_SCHEDULE_EVERY")
    error_message = "Without a PingSource drift keeps its own timer."
  }
  assert {
    condition     = output.manifests["30-service-quota"].spec.template.metadata.annotations["autoscaling.knative.dev/max-scale"] == "3"
    error_message = "max_scale is passed through."
  }
  assert {
    condition     = !can(regex("[:\\[,]null[,}\\]]", jsonencode(output.manifests)))
    error_message = "A manifest holds a null field."
  }
}

run "rejects_bad_namespace" {
  command = plan
  variables {
    namespace = "Spillway_NS"
  }
  expect_failures = [var.namespace]
}

run "rejects_unknown_function_and_bad_scale" {
  command = plan
  variables {
    function_settings = {
      planner = {}
    }
  }
  expect_failures = [var.function_settings]
}

run "rejects_min_above_max" {
  command = plan
  variables {
    function_settings = {
      gateway = { min_scale = 5, max_scale = 2 }
    }
  }
  expect_failures = [var.function_settings]
}
