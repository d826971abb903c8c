# The whole Knative deployment of Spillway, rendered without any provider: the four functions, the
# CNPG database (PostgreSQL 16 + pgvector) and the event wiring, the embedding service on a GPU pool.
#   terraform apply && terraform output -raw yaml > spillway.yaml && kubectl apply -f spillway.yaml

locals {
  images = merge(
    { for fn in ["gateway", "quota", "embedding", "drift"] : fn => "${var.image_registry}/${fn}:${var.image_tag}" },
    var.images_override,
  )

  # The embedding image is a JVM image (Dockerfile.jvm): its jvm.options go in JAVA_OPTS_APPEND.
  embedding_jvm_options_file = "${path.module}/../../../functions/embedding/jvm.options"
  embedding_java_options = fileexists(local.embedding_jvm_options_file) ? join(" ", [
    for line in split("\n", file(local.embedding_jvm_options_file)) : trimspace(line)
    if trimspace(line) != "" && !startswith(trimspace(line), "#")
  ]) : "-XX:+UseSerialGC -Xms256m -Xmx256m -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError"

  key = { for name, key in {
    OPENAI_API_KEY            = "openai-api-key"
    ANTHROPIC_API_KEY         = "anthropic-api-key"
    GATEWAY_QUOTA_SERVICE_KEY = "gateway-quota-service-key"
    QUOTA_ADMIN_KEY_HASH      = "quota-admin-key-hash"
    QUOTA_SERVICE_KEY_HASH    = "quota-service-key-hash"
    DRIFT_QUOTA_SERVICE_KEY   = "drift-quota-service-key"
    DRIFT_ADMIN_KEY_HASH      = "drift-admin-key-hash"
  } : name => { secret = var.keys_secret_name, key = key } }
}

module "manifests" {
  source = "../../modules/knative-manifests"

  namespace   = var.namespace
  broker_name = "default"
  images      = local.images

  function_settings = {
    gateway = {
      env = {
        OPENAI_BASE_URL    = "https://api.openai.com/v1"
        ANTHROPIC_BASE_URL = "https://api.anthropic.com"
      }
      secret_env = {
        for name in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GATEWAY_QUOTA_SERVICE_KEY"] : name => local.key[name]
      }
    }
    quota = {
      secret_env = { for name in ["QUOTA_ADMIN_KEY_HASH", "QUOTA_SERVICE_KEY_HASH"] : name => local.key[name] }
    }
    embedding = {
      env = { JAVA_OPTS_APPEND = local.embedding_java_options }
    }
    drift = {
      secret_env = { for name in ["DRIFT_QUOTA_SERVICE_KEY", "DRIFT_ADMIN_KEY_HASH"] : name => local.key[name] }
    }
  }

  embedding_gpu     = true
  gpu_count         = var.gpu_count
  gpu_node_selector = { "nvidia.com/gpu.present" = "true" }
  gpu_tolerations   = [{ key = "nvidia.com/gpu", operator = "Exists", effect = "NoSchedule" }]

  drift_schedule = var.drift_schedule

  database = {
    enabled      = true
    name         = "spillway-db"
    storage_size = var.database_storage_size
  }
}
