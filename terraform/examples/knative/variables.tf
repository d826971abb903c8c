variable "kubeconfig_path" {
  description = "Path of the kubeconfig of the cluster (Knative Serving + Eventing, the CNPG operator and, for the GPU embedding service, the NVIDIA device plugin installed)."
  type        = string
  default     = "~/.kube/config"
}

variable "kubeconfig_context" {
  description = "kubeconfig context to use (null = the current context)."
  type        = string
  default     = null
}

variable "namespace" {
  description = "Namespace of the deployment."
  type        = string
  default     = "spillway"
}

variable "images" {
  description = "Image reference per function (gateway, quota, embedding, drift)."
  type = object({
    gateway   = string
    quota     = string
    embedding = string
    drift     = string
  })
}

variable "keys_secret_name" {
  description = "Kubernetes Secret holding the API keys, service keys and key hashes (created beforehand, see docs/deploy.md)."
  type        = string
  default     = "spillway-keys"
}

variable "embedding_gpu" {
  description = "Run the embedding service on a GPU node."
  type        = bool
  default     = true
}

variable "wait_for_ready" {
  description = "Wait for every object to become Ready."
  type        = bool
  default     = true
}
