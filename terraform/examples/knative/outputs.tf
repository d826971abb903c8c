output "service_urls" {
  description = "status.url of each Knative Service."
  value       = module.knative.service_urls
}

output "cluster_local_urls" {
  description = "Cluster-local URLs of the functions."
  value       = module.manifests.service_urls
}
