run "renders_the_whole_deployment" {
  command = plan

  assert {
    condition = toset([for k, m in output.manifests : "${m.kind}/${m.metadata.name}"]) == toset([
      "Namespace/spillway", "Cluster/spillway-db", "Broker/default",
      "Service/gateway", "Service/quota", "Service/embedding", "Service/drift",
      "Trigger/quota-usage-recorded", "Trigger/drift-query-sampled",
      "SinkBinding/gateway-events", "SinkBinding/drift-events", "PingSource/drift-schedule",
    ])
    error_message = "The deployment is the namespace, database, broker, four services, two triggers, two sink bindings and the ping source."
  }
  assert {
    condition     = contains(output.manifests["30-service-gateway"].spec.template.spec.containers[0].env, { name = "OPENAI_API_KEY", valueFrom = { secretKeyRef = { name = "spillway-keys", key = "openai-api-key" } } })
    error_message = "Provider keys come from the spillway-keys Secret."
  }
  assert {
    condition     = output.manifests["30-service-embedding"].spec.template.spec.containers[0].resources.limits["nvidia.com/gpu"] == "1" && output.manifests["30-service-embedding"].spec.template.metadata.annotations["autoscaling.knative.dev/min-scale"] == "1"
    error_message = "The embedding service holds a GPU and one warm replica."
  }
  assert {
    condition     = strcontains(output.manifests["30-service-embedding"].spec.template.spec.containers[0].env[0].value, "-XX:+UseSerialGC")
    error_message = "The embedding JVM options come from functions/embedding/jvm.options."
  }
  assert {
    condition     = !can(regex("[:\\[,]null[,}\\]]", jsonencode(output.manifests))) && !strcontains(output.yaml, ": null")
    error_message = "No null anywhere in the deployment."
  }
}
