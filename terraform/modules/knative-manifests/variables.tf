variable "namespace" {
  description = "Namespace of every rendered object."
  type        = string
  default     = "spillway"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS label (lower-case letters, digits and '-', at most 63)."
  }
}

variable "create_namespace" {
  description = "Whether to render the Namespace (labelled bindings.knative.dev/include=true so SinkBindings apply in inclusion mode too)."
  type        = bool
  default     = true
}

variable "broker_name" {
  description = "Name of the Knative Broker the producers send to and the Triggers filter."
  type        = string
  default     = "default"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.broker_name))
    error_message = "broker_name must be a DNS label."
  }
}

variable "broker_delivery" {
  description = "Broker delivery: retries per event and exponential backoff base (ISO 8601 duration)."
  type = object({
    retry         = optional(number, 5)
    backoff_delay = optional(string, "PT0.5S")
  })
  default = {}

  validation {
    condition     = var.broker_delivery.retry >= 0 && floor(var.broker_delivery.retry) == var.broker_delivery.retry
    error_message = "broker_delivery.retry must be a whole number >= 0."
  }
}

variable "images" {
  description = "Container image reference per function (gateway, quota, embedding, drift), built from functions/<fn>/src/main/docker/Dockerfile.* and preferably pinned by digest. embedding is a JVM image (ONNX Runtime, never native)."
  type = object({
    gateway   = string
    quota     = string
    embedding = string
    drift     = string
  })

  validation {
    condition     = alltrue([for image in values(var.images) : can(regex("^[a-z0-9][A-Za-z0-9._/:@-]*[A-Za-z0-9_]$", image)) && !can(regex("\\s", image))])
    error_message = "Each image must be an image reference such as registry.example.com/spillway/gateway:1.0 or ...@sha256:<digest>."
  }
}

variable "public_functions" {
  description = "Functions reachable from outside the cluster; the others get networking.knative.dev/visibility=cluster-local."
  type        = list(string)
  default     = ["gateway"]

  validation {
    condition     = alltrue([for fn in var.public_functions : contains(["gateway", "quota", "embedding", "drift"], fn)])
    error_message = "public_functions may only name gateway, quota, embedding and drift."
  }
}

variable "function_settings" {
  description = <<-EOT
    Per-function settings (keys gateway, quota, embedding, drift; every field optional, defaults in the README):
    env (plain env vars, override the module's wiring), secret_env (env name = { secret = Kubernetes Secret name, key = key in it }),
    requests / limits (resource quantities), target_concurrency (autoscaling.knative.dev/target), min_scale, max_scale,
    container_concurrency (0 = unlimited), timeout_seconds (request timeout).
  EOT
  type = map(object({
    env                   = optional(map(string), {})
    secret_env            = optional(map(object({ secret = string, key = string })), {})
    requests              = optional(map(string))
    limits                = optional(map(string))
    target_concurrency    = optional(number)
    min_scale             = optional(number)
    max_scale             = optional(number)
    container_concurrency = optional(number)
    timeout_seconds       = optional(number)
  }))
  default = {}

  validation {
    condition     = alltrue([for fn in keys(var.function_settings) : contains(["gateway", "quota", "embedding", "drift"], fn)])
    error_message = "function_settings keys must be gateway, quota, embedding or drift."
  }

  validation {
    condition = alltrue([
      for fn, s in var.function_settings : alltrue([
        s.min_scale == null ? true : s.min_scale >= 0,
        s.max_scale == null ? true : s.max_scale >= 1,
        s.min_scale == null || s.max_scale == null ? true : s.min_scale <= s.max_scale,
        s.container_concurrency == null ? true : s.container_concurrency >= 0,
        s.target_concurrency == null ? true : s.target_concurrency > 0,
        s.timeout_seconds == null ? true : (s.timeout_seconds >= 1 && s.timeout_seconds <= 3600),
      ])
    ])
    error_message = "min_scale >= 0, max_scale >= 1 and >= min_scale, container_concurrency >= 0, target_concurrency > 0, timeout_seconds 1-3600."
  }

  validation {
    condition = alltrue(flatten([
      for fn, s in var.function_settings : [
        for name in concat(keys(s.env), keys(s.secret_env)) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name))
      ]
    ]))
    error_message = "env and secret_env names must match ^[A-Za-z_][A-Za-z0-9_]*$."
  }

  validation {
    condition     = alltrue([for fn, s in var.function_settings : length(setintersection(keys(s.env), keys(s.secret_env))) == 0])
    error_message = "A name may be in env or in secret_env of a function, not in both."
  }
}

variable "embedding_gpu" {
  description = "Run the embedding service on a GPU (nvidia.com/gpu limit, node selector, tolerations, min-scale 1). false = CPU, scaling to zero like the others."
  type        = bool
  default     = true
}

variable "gpu_count" {
  description = "nvidia.com/gpu limit of the embedding container (whole GPUs; a MIG profile resource can be set in function_settings.embedding.limits instead)."
  type        = number
  default     = 1

  validation {
    condition     = var.gpu_count >= 1 && floor(var.gpu_count) == var.gpu_count
    error_message = "gpu_count must be a whole number >= 1."
  }
}

variable "gpu_node_selector" {
  description = "nodeSelector of the embedding pods on GPU (needs Knative's kubernetes.podspec-nodeselector feature flag)."
  type        = map(string)
  default     = { "nvidia.com/gpu.present" = "true" }
}

variable "gpu_tolerations" {
  description = "Tolerations of the embedding pods on GPU (needs Knative's kubernetes.podspec-tolerations feature flag)."
  type = list(object({
    key      = string
    operator = optional(string, "Exists")
    value    = optional(string)
    effect   = optional(string)
  }))
  default = [{ key = "nvidia.com/gpu", operator = "Exists", effect = "NoSchedule" }]

  validation {
    condition     = alltrue([for t in var.gpu_tolerations : contains(["Exists", "Equal"], t.operator) && (t.effect == null ? true : contains(["NoSchedule", "PreferNoSchedule", "NoExecute"], t.effect))])
    error_message = "gpu_tolerations: operator Exists or Equal; effect null, NoSchedule, PreferNoSchedule or NoExecute."
  }
}

variable "gpu_runtime_class_name" {
  description = "runtimeClassName of the embedding pods on GPU (e.g. \"nvidia\"; needs the kubernetes.podspec-runtimeclassname flag). null = the cluster default."
  type        = string
  default     = null
}

variable "drift_schedule" {
  description = "Cron schedule of the PingSource that starts drift runs (the drift function's own timer is switched off with DRIFT_SCHEDULE_EVERY=off). null = no PingSource."
  type        = string
  default     = "5 * * * *"

  validation {
    condition     = var.drift_schedule == null ? true : length(split(" ", trimspace(var.drift_schedule))) == 5
    error_message = "drift_schedule must be a five-field cron expression (e.g. \"5 * * * *\") or null."
  }
}

variable "drift_schedule_timezone" {
  description = "Time zone of drift_schedule (IANA name)."
  type        = string
  default     = "Etc/UTC"
}

variable "database" {
  description = <<-EOT
    The CloudNativePG cluster (postgresql.cnpg.io/v1 Cluster; the CNPG operator must be installed) that quota and drift use:
    enabled, name, instances, image (PostgreSQL 16 with pgvector), storage_size, storage_class (null = default), database, owner.
    CNPG creates the Secret <name>-app (username, password) and the Service <name>-rw; quota and drift are wired to them.
    enabled = false: nothing is rendered and QUOTA_DB_* / DRIFT_DB_* must come from function_settings.
  EOT
  type = object({
    enabled       = optional(bool, true)
    name          = optional(string, "spillway-db")
    instances     = optional(number, 1)
    image         = optional(string, "ghcr.io/cloudnative-pg/postgresql:16-standard-bookworm")
    storage_size  = optional(string, "10Gi")
    storage_class = optional(string)
    database      = optional(string, "spillway")
    owner         = optional(string, "spillway")
  })
  default = {}

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$", var.database.name)) && var.database.instances >= 1 && can(regex("^[0-9]+(Mi|Gi|Ti)$", var.database.storage_size))
    error_message = "database.name must be a short DNS label, instances >= 1 and storage_size a quantity such as 10Gi."
  }

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]*$", var.database.database)) && can(regex("^[a-z_][a-z0-9_]*$", var.database.owner))
    error_message = "database.database and database.owner must be lower-case PostgreSQL identifiers."
  }
}

variable "labels" {
  description = "Extra labels on every rendered object."
  type        = map(string)
  default     = {}
}
