variable "namespace" {
  description = "Namespace of the deployment."
  type        = string
  default     = "spillway"
}

variable "image_registry" {
  description = "Registry and path the function images were pushed to (<registry>/<fn>:<tag>)."
  type        = string
  default     = "registry.example.com/spillway"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9._/:-]*[a-z0-9]$", var.image_registry))
    error_message = "image_registry must look like registry.example.com/spillway."
  }
}

variable "image_tag" {
  description = "Tag of the function images (prefer digests in production via images_override)."
  type        = string
  default     = "1.0.0-SNAPSHOT"
}

variable "images_override" {
  description = "Full image references per function that replace <image_registry>/<fn>:<image_tag> (e.g. digests)."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for fn in keys(var.images_override) : contains(["gateway", "quota", "embedding", "drift"], fn)])
    error_message = "images_override keys must be gateway, quota, embedding or drift."
  }
}

variable "keys_secret_name" {
  description = "Kubernetes Secret (created beforehand with kubectl) holding the provider API keys, service keys and key hashes; see docs/deploy.md."
  type        = string
  default     = "spillway-keys"
}

variable "gpu_count" {
  description = "GPUs of the embedding service."
  type        = number
  default     = 1
}

variable "drift_schedule" {
  description = "Cron schedule of drift runs (PingSource)."
  type        = string
  default     = "5 * * * *"
}

variable "database_storage_size" {
  description = "Storage of the CloudNativePG cluster."
  type        = string
  default     = "10Gi"
}
