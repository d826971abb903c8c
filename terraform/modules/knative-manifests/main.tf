# Renders Spillway's Knative deployment as plain objects: one Knative Service per function, the
# Broker, a Trigger per consumed event type, SinkBindings for the producers, the PingSource for drift
# runs and optionally the CloudNativePG database. No field is ever null: optional fields are left
# out with `{ for k, v in {...} : k => v if v != null }` (a null-stripping object at each level).

locals {
  functions = ["gateway", "quota", "embedding", "drift"]

  cluster_domain = "svc.cluster.local"
  service_url    = { for fn in local.functions : fn => "http://${fn}.${var.namespace}.${local.cluster_domain}" }
  broker_url     = "http://broker-ingress.knative-eventing.${local.cluster_domain}/${var.namespace}/${var.broker_name}"

  db        = var.database
  db_url    = "postgresql://${local.db.name}-rw.${var.namespace}.${local.cluster_domain}:5432/${local.db.database}"
  db_secret = "${local.db.name}-app"

  gpu = var.embedding_gpu

  # Defaults per function: requests cover the fixed JVM heaps of functions/<fn>/jvm.options with
  # room for metaspace, code cache and native memory; CPU functions scale to zero.
  defaults = {
    gateway = {
      requests = { cpu = "250m", memory = "256Mi" }
      limits   = { memory = "384Mi" }
      target   = 100
      min      = 0
      max      = 20
      cc       = 0
      timeout  = 600
    }
    quota = {
      requests = { cpu = "100m", memory = "384Mi" }
      limits   = { memory = "512Mi" }
      target   = 50
      min      = 0
      max      = 10
      cc       = 0
      timeout  = 60
    }
    embedding = {
      requests = { cpu = "1", memory = "1536Mi" }
      limits   = { memory = "2Gi" }
      target   = 8
      min      = local.gpu ? 1 : 0
      max      = local.gpu ? 2 : 4
      cc       = 16
      timeout  = 60
    }
    drift = {
      requests = { cpu = "250m", memory = "1Gi" }
      limits   = { memory = "1280Mi" }
      target   = 10
      min      = 0
      max      = 4
      cc       = 0
      timeout  = 600
    }
  }

  settings = {
    for fn in local.functions : fn => {
      env        = try(var.function_settings[fn].env, {})
      secret_env = try(var.function_settings[fn].secret_env, {})
      requests   = coalesce(try(var.function_settings[fn].requests, null), local.defaults[fn].requests)
      limits = merge(
        coalesce(try(var.function_settings[fn].limits, null), local.defaults[fn].limits),
        fn == "embedding" && local.gpu ? { "nvidia.com/gpu" = tostring(var.gpu_count) } : {},
      )
      target  = coalesce(try(var.function_settings[fn].target_concurrency, null), local.defaults[fn].target)
      min     = coalesce(try(var.function_settings[fn].min_scale, null), local.defaults[fn].min)
      max     = coalesce(try(var.function_settings[fn].max_scale, null), local.defaults[fn].max)
      cc      = coalesce(try(var.function_settings[fn].container_concurrency, null), local.defaults[fn].cc)
      timeout = coalesce(try(var.function_settings[fn].timeout_seconds, null), local.defaults[fn].timeout)
    }
  }

  # Wiring between the functions (plain values and references to Secrets); a function's own `env`
  # and `secret_env` override it. K_SINK is injected by the SinkBindings, not set here.
  wiring_env = {
    gateway = {
      GATEWAY_QUOTA_URL  = local.service_url.quota
      GATEWAY_DRIFT_SINK = local.broker_url
    }
    quota = local.db.enabled ? {
      QUOTA_DB_URL = local.db_url
    } : {}
    embedding = {}
    drift = merge(
      {
        DRIFT_EMBEDDING_URL = local.service_url.embedding
        DRIFT_QUOTA_URL     = local.service_url.quota
      },
      # The PingSource drives the runs; without it the function's own timer (its default) does.
      var.drift_schedule != null ? { DRIFT_SCHEDULE_EVERY = "off" } : {},
      local.db.enabled ? { DRIFT_DB_URL = local.db_url } : {},
    )
  }
  wiring_secret_env = {
    gateway   = {}
    quota     = local.db.enabled ? { QUOTA_DB_USER = { secret = local.db_secret, key = "username" }, QUOTA_DB_PASSWORD = { secret = local.db_secret, key = "password" } } : {}
    embedding = {}
    drift     = local.db.enabled ? { DRIFT_DB_USER = { secret = local.db_secret, key = "username" }, DRIFT_DB_PASSWORD = { secret = local.db_secret, key = "password" } } : {}
  }

  env = {
    for fn in local.functions : fn => {
      plain = merge(
        { QUARKUS_HTTP_PORT = "8080" },
        { for k, v in local.wiring_env[fn] : k => v if !contains(keys(local.settings[fn].secret_env), k) },
        local.settings[fn].env,
      )
      secret = merge(
        { for k, v in local.wiring_secret_env[fn] : k => v if !contains(keys(local.settings[fn].env), k) },
        local.settings[fn].secret_env,
      )
    }
  }

  common_labels = merge({ "app.kubernetes.io/part-of" = "spillway", "app.kubernetes.io/managed-by" = "terraform" }, var.labels)

  probe = {
    ready = { httpGet = { path = "/q/health/ready", port = 8080 }, periodSeconds = 5, failureThreshold = 3 }
    live  = { httpGet = { path = "/q/health/live", port = 8080 }, periodSeconds = 10, failureThreshold = 3 }
  }

  services = {
    for fn in local.functions : fn => {
      apiVersion = "serving.knative.dev/v1"
      kind       = "Service"
      metadata = {
        name      = fn
        namespace = var.namespace
        labels = merge(
          local.common_labels,
          { "app.kubernetes.io/name" = fn, "app.kubernetes.io/component" = "function" },
          contains(var.public_functions, fn) ? {} : { "networking.knative.dev/visibility" = "cluster-local" },
        )
      }
      spec = {
        template = {
          metadata = {
            labels = { "app.kubernetes.io/name" = fn, "app.kubernetes.io/part-of" = "spillway" }
            annotations = {
              "autoscaling.knative.dev/metric"    = "concurrency"
              "autoscaling.knative.dev/target"    = tostring(local.settings[fn].target)
              "autoscaling.knative.dev/min-scale" = tostring(local.settings[fn].min)
              "autoscaling.knative.dev/max-scale" = tostring(local.settings[fn].max)
            }
          }
          spec = { for k, v in {
            containerConcurrency = local.settings[fn].cc
            timeoutSeconds       = local.settings[fn].timeout
            containers = [{
              name  = fn
              image = var.images[fn]
              ports = [{ name = "http1", containerPort = 8080 }]
              env = concat(
                [for name in sort(keys(local.env[fn].plain)) : { name = name, value = local.env[fn].plain[name] }],
                [for name in sort(keys(local.env[fn].secret)) : {
                  name      = name
                  valueFrom = { secretKeyRef = { name = local.env[fn].secret[name].secret, key = local.env[fn].secret[name].key } }
                }],
              )
              resources      = { requests = local.settings[fn].requests, limits = local.settings[fn].limits }
              readinessProbe = local.probe.ready
              livenessProbe  = local.probe.live
            }]
            nodeSelector     = fn == "embedding" && local.gpu && length(var.gpu_node_selector) > 0 ? var.gpu_node_selector : null
            runtimeClassName = fn == "embedding" && local.gpu ? var.gpu_runtime_class_name : null
            tolerations = fn == "embedding" && local.gpu && length(var.gpu_tolerations) > 0 ? [
              for t in var.gpu_tolerations : { for k, v in {
                key      = t.key
                operator = t.operator
                value    = t.value
                effect   = t.effect
              } : k => v if v != null }
            ] : null
          } : k => v if v != null }
        }
      }
    }
  }

  namespace = {
    apiVersion = "v1"
    kind       = "Namespace"
    metadata = {
      name   = var.namespace
      labels = merge(local.common_labels, { "bindings.knative.dev/include" = "true" })
    }
  }

  broker = {
    apiVersion = "eventing.knative.dev/v1"
    kind       = "Broker"
    metadata = {
      name      = var.broker_name
      namespace = var.namespace
      labels    = local.common_labels
    }
    spec = {
      delivery = {
        retry         = var.broker_delivery.retry
        backoffPolicy = "exponential"
        backoffDelay  = var.broker_delivery.backoff_delay
      }
    }
  }

  # Consumers: Funqy Knative Events serves CloudEvents at "/" and dispatches by ce-type.
  subscriptions = {
    "quota-usage-recorded" = { type = "dev.spillway.usage.recorded", service = "quota" }
    "drift-query-sampled"  = { type = "dev.spillway.query.sampled", service = "drift" }
  }

  triggers = {
    for name, s in local.subscriptions : name => {
      apiVersion = "eventing.knative.dev/v1"
      kind       = "Trigger"
      metadata = {
        name      = name
        namespace = var.namespace
        labels    = merge(local.common_labels, { "app.kubernetes.io/name" = s.service })
      }
      spec = {
        broker = var.broker_name
        filter = { attributes = { type = s.type } }
        subscriber = {
          ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = s.service }
          uri = "/"
        }
      }
    }
  }

  # Producers get K_SINK (the Broker's address) injected into their pods.
  producers = ["gateway", "drift"]

  sink_bindings = {
    for fn in local.producers : fn => {
      apiVersion = "sources.knative.dev/v1"
      kind       = "SinkBinding"
      metadata = {
        name      = "${fn}-events"
        namespace = var.namespace
        labels    = merge(local.common_labels, { "app.kubernetes.io/name" = fn })
      }
      spec = {
        subject = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = fn }
        sink    = { ref = { apiVersion = "eventing.knative.dev/v1", kind = "Broker", name = var.broker_name } }
      }
    }
  }

  ping_source = {
    apiVersion = "sources.knative.dev/v1"
    kind       = "PingSource"
    metadata = {
      name      = "drift-schedule"
      namespace = var.namespace
      labels    = merge(local.common_labels, { "app.kubernetes.io/name" = "drift" })
    }
    spec = {
      schedule    = var.drift_schedule
      timezone    = var.drift_schedule_timezone
      contentType = "application/json"
      data        = "{}"
      sink = {
        ref = { apiVersion = "serving.knative.dev/v1", kind = "Service", name = "drift" }
        uri = "/"
      }
    }
  }

  database_cluster = {
    apiVersion = "postgresql.cnpg.io/v1"
    kind       = "Cluster"
    metadata = {
      name      = local.db.name
      namespace = var.namespace
      labels    = merge(local.common_labels, { "app.kubernetes.io/name" = "postgresql", "app.kubernetes.io/component" = "database" })
    }
    spec = {
      instances = local.db.instances
      imageName = local.db.image
      storage   = { for k, v in { size = local.db.storage_size, storageClass = local.db.storage_class } : k => v if v != null }
      bootstrap = {
        initdb = {
          database               = local.db.database
          owner                  = local.db.owner
          postInitApplicationSQL = ["CREATE EXTENSION IF NOT EXISTS vector"]
        }
      }
    }
  }

  # Keys sort into apply order for `kubectl apply -f` readers: namespace, database, broker, services,
  # then the eventing objects that refer to them.
  manifests = merge(
    var.create_namespace ? { "00-namespace" = local.namespace } : {},
    local.db.enabled ? { "10-database" = local.database_cluster } : {},
    { "20-broker" = local.broker },
    { for fn, s in local.services : "30-service-${fn}" => s },
    { for name, t in local.triggers : "40-trigger-${name}" => t },
    { for fn, b in local.sink_bindings : "50-sinkbinding-${fn}" => b },
    var.drift_schedule != null ? { "60-pingsource-drift" = local.ping_source } : {},
  )
}
