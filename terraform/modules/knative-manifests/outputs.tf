output "manifests" {
  description = "Every rendered object by key (ordered for apply: 00-namespace, 10-database, 20-broker, 30-service-<fn>, 40-trigger-<name>, 50-sinkbinding-<fn>, 60-pingsource-drift). Feed it to modules/knative."
  value       = local.manifests
}

output "yaml" {
  description = "All objects as one YAML stream (documents separated by ---), appliable with kubectl apply -f."
  value       = join("", [for key in sort(keys(local.manifests)) : "---\n${yamlencode(local.manifests[key])}"])
}

output "service_urls" {
  description = "Cluster-local URL of each function's Knative Service."
  value       = local.service_url
}

output "broker_url" {
  description = "Broker ingress URL (what the producers' K_SINK and the gateway's GATEWAY_DRIFT_SINK point at)."
  value       = local.broker_url
}

output "database_secret_name" {
  description = "Name of the Secret CloudNativePG creates with the application user's username and password (null without the database)."
  value       = local.db.enabled ? local.db_secret : null
}
