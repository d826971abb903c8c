output "gateway_url" {
  description = "The gateway's function URL (OpenAI-compatible base: <url>v1)."
  value       = module.gateway.function_url
}

output "quota_url" {
  description = "The quota function's URL."
  value       = module.quota.function_url
}

output "embedding_url" {
  description = "The embedding function's URL (on its alias)."
  value       = module.embedding.function_url
}

output "drift_url" {
  description = "The drift function's URL."
  value       = module.drift.function_url
}

output "function_url_authorization_types" {
  description = "Auth type of each function URL: embedding AWS_IAM (drift signs with SigV4), the others NONE (API, service and admin keys; event paths closed to URL callers)."
  value = {
    gateway   = module.gateway.function_url_authorization_type
    quota     = module.quota.function_url_authorization_type
    embedding = module.embedding.function_url_authorization_type
    drift     = module.drift.function_url_authorization_type
  }
}

output "events_routes" {
  description = "Events ingress route URLs (SigV4-signed POSTs of CloudEvents)."
  value       = local.route_url
}

output "database_url" {
  description = "PostgreSQL URL of the database."
  value       = module.database.db_url
}

output "database_secret_arn" {
  description = "ARN of the RDS-managed master user secret."
  value       = module.database.master_user_secret_arn
}

output "function_environments" {
  description = "Non-sensitive environment of each function (for checks; the key hashes are left out)."
  value = {
    gateway   = module.gateway.environment
    quota     = module.quota.environment
    embedding = module.embedding.environment
    drift     = module.drift.environment
  }
}

output "function_layers" {
  description = "Layers of each function."
  value = {
    gateway   = module.gateway.layers
    quota     = module.quota.layers
    embedding = module.embedding.layers
    drift     = module.drift.layers
  }
}

output "embedding_alias_arn" {
  description = "The alias the embedding function's URL targets (jvm, SnapStart)."
  value       = module.embedding.alias_arn
}
