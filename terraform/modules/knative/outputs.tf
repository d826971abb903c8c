output "objects" {
  description = "The applied objects as the API server returned them (status included), by key."
  value       = { for k, m in kubernetes_manifest.this : k => m.object }
}

output "service_urls" {
  description = "status.url of each Knative Service, by manifest key."
  value = {
    for k, m in kubernetes_manifest.this : k => try(m.object.status.url, null)
    if var.manifests[k].kind == "Service" && var.manifests[k].apiVersion == "serving.knative.dev/v1"
  }
}
