# Spillway on Knative, applied by Terraform: modules/knative-manifests renders, modules/knative
# applies with server-side apply and waits for Ready. The Namespace must exist before the other
# objects (kubernetes_manifest plans against the API server): create it first with
#   terraform apply -target='module.knative.kubernetes_manifest.this["00-namespace"]'
# or set create_namespace = false and create it with kubectl.

locals {
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

  namespace     = var.namespace
  images        = var.images
  embedding_gpu = var.embedding_gpu

  function_settings = {
    gateway = {
      secret_env = { for name in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GATEWAY_QUOTA_SERVICE_KEY"] : name => local.key[name] }
    }
    quota = {
      secret_env = { for name in ["QUOTA_ADMIN_KEY_HASH", "QUOTA_SERVICE_KEY_HASH"] : name => local.key[name] }
    }
    drift = {
      secret_env = { for name in ["DRIFT_QUOTA_SERVICE_KEY", "DRIFT_ADMIN_KEY_HASH"] : name => local.key[name] }
    }
  }
}

module "knative" {
  source = "../../modules/knative"

  manifests      = module.manifests.manifests
  wait_for_ready = var.wait_for_ready
}
