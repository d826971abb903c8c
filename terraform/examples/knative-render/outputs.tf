output "yaml" {
  description = "The whole deployment as one YAML stream for kubectl apply -f."
  value       = module.manifests.yaml
}

output "manifests" {
  description = "The rendered objects by key."
  value       = module.manifests.manifests
}

output "service_urls" {
  description = "Cluster-local URLs of the functions."
  value       = module.manifests.service_urls
}
