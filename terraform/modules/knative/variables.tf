variable "manifests" {
  description = "Objects to apply, by key: the `manifests` output of modules/knative-manifests (or any map of Kubernetes objects with apiVersion, kind and metadata.name)."
  type        = any

  validation {
    condition     = alltrue([for k, m in var.manifests : can(m.apiVersion) && can(m.kind) && can(m.metadata.name)])
    error_message = "Every manifest needs apiVersion, kind and metadata.name."
  }
}

variable "wait_for_ready" {
  description = "Wait until each Knative object (Service, Broker, Trigger, SinkBinding, PingSource) and the CNPG Cluster reports Ready=True."
  type        = bool
  default     = true
}

variable "create_timeout" {
  description = "How long to wait for an object to be created and Ready (Go duration, e.g. 10m). A GPU service may wait for a node to scale up."
  type        = string
  default     = "10m"

  validation {
    condition     = can(regex("^[0-9]+(s|m|h)$", var.create_timeout))
    error_message = "create_timeout must be a duration such as 90s, 10m or 1h."
  }
}

variable "update_timeout" {
  description = "How long to wait for an update to be applied and Ready (Go duration)."
  type        = string
  default     = "10m"

  validation {
    condition     = can(regex("^[0-9]+(s|m|h)$", var.update_timeout))
    error_message = "update_timeout must be a duration such as 90s, 10m or 1h."
  }
}

variable "delete_timeout" {
  description = "How long to wait for an object to be deleted (Go duration)."
  type        = string
  default     = "5m"

  validation {
    condition     = can(regex("^[0-9]+(s|m|h)$", var.delete_timeout))
    error_message = "delete_timeout must be a duration such as 90s, 10m or 1h."
  }
}

variable "field_manager" {
  description = "Server-side apply field manager name."
  type        = string
  default     = "terraform-spillway"
}
