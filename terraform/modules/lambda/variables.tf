variable "function_name" {
  description = "Name of the Lambda function (also names its role, log group and schedule)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "function_name must be 1-64 characters of letters, digits, '-' or '_'."
  }
}

variable "description" {
  description = "Description of the function."
  type        = string
  default     = ""
}

variable "package_file" {
  description = "Path of the deployment zip, as `bin/spillway package lambda` writes it: target/lambda/<function>-<variant>.zip."
  type        = string

  validation {
    condition     = endswith(var.package_file, ".zip")
    error_message = "package_file must be the path of a .zip file."
  }
}

variable "package_variant" {
  description = "`native` (the GraalVM/Mandrel executable on provided.al2023; the zip holds `bootstrap`) or `jvm` (java21 with SnapStart; the zip holds `run.sh`)."
  type        = string
  default     = "native"

  validation {
    condition     = contains(["native", "jvm"], var.package_variant)
    error_message = "package_variant must be \"native\" or \"jvm\"."
  }
}

variable "architecture" {
  description = "Instruction set of the function and of the layers: x86_64 or arm64."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be \"x86_64\" or \"arm64\"."
  }
}

variable "memory_size" {
  description = "Memory in MB (128-10240); CPU is allotted in proportion."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "timeout" {
  description = "Function timeout in seconds (1-900). For a streaming function URL this bounds the whole stream."
  type        = number
  default     = 60

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "ephemeral_storage_size" {
  description = "Size of /tmp in MB (512-10240)."
  type        = number
  default     = 512

  validation {
    condition     = var.ephemeral_storage_size >= 512 && var.ephemeral_storage_size <= 10240 && floor(var.ephemeral_storage_size) == var.ephemeral_storage_size
    error_message = "ephemeral_storage_size must be a whole number of MB from 512 to 10240."
  }
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency: the most instances this function may run, and a floor taken from the account pool. null = unreserved; 0 stops all invocations."
  type        = number
  default     = null

  validation {
    condition     = var.reserved_concurrent_executions == null ? true : (var.reserved_concurrent_executions >= 0 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions)
    error_message = "reserved_concurrent_executions must be null or a whole number >= 0."
  }
}

variable "streaming" {
  description = "Whether the function streams its responses (the gateway's SSE): function URL invoke mode RESPONSE_STREAM and AWS_LWA_INVOKE_MODE=response_stream; otherwise BUFFERED/buffered."
  type        = bool
  default     = false
}

variable "environment" {
  description = "Plain (non-secret) environment variables, merged with those the module sets (QUARKUS_HTTP_PORT, AWS_LWA_*, AWS_LAMBDA_EXEC_WRAPPER, SPILLWAY_SECRETS), which may not be overridden. Secrets go in `secrets`."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for name in keys(var.environment) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name))
    ])
    error_message = "environment names must match ^[A-Za-z_][A-Za-z0-9_]*$."
  }

  validation {
    condition = length(setintersection(keys(var.environment), [
      "QUARKUS_HTTP_PORT", "AWS_LWA_PORT", "AWS_LWA_READINESS_CHECK_PATH", "AWS_LWA_PASS_THROUGH_PATH",
      "AWS_LWA_INVOKE_MODE", "AWS_LAMBDA_EXEC_WRAPPER", "SPILLWAY_SECRETS",
    ])) == 0
    error_message = "environment may not set QUARKUS_HTTP_PORT, AWS_LWA_PORT, AWS_LWA_READINESS_CHECK_PATH, AWS_LWA_PASS_THROUGH_PATH, AWS_LWA_INVOKE_MODE, AWS_LAMBDA_EXEC_WRAPPER or SPILLWAY_SECRETS: the module sets them."
  }

  validation {
    condition     = length(setintersection(keys(var.environment), keys(var.secrets))) == 0
    error_message = "A name may be in environment or in secrets, not in both."
  }
}

variable "sensitive_environment" {
  description = "Environment values that are not secrets kept in AWS but must not be shown (e.g. QUOTA_ADMIN_KEY_HASH, a sha256 of a key). Merged into the function's environment; left out of the `environment` output."
  type        = map(string)
  default     = {}
  sensitive   = true

  validation {
    condition     = alltrue([for name in keys(var.sensitive_environment) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name)) && !startswith(name, "AWS_LWA_") && !contains(["QUARKUS_HTTP_PORT", "AWS_LAMBDA_EXEC_WRAPPER", "SPILLWAY_SECRETS"], name)])
    error_message = "sensitive_environment names must match ^[A-Za-z_][A-Za-z0-9_]*$ and may not be names the module sets."
  }
}

variable "secrets" {
  description = "Secret environment: env var name -> ARN of a Secrets Manager secret or an SSM parameter (never a value); a Secrets Manager ARN may end in `#key` to take one key of a JSON secret value (the RDS-managed master secret: `<arn>#password`). Passed to the application as SPILLWAY_SECRETS (JSON, suffixes kept) and resolved at start through the AWS Parameters and Secrets Lambda Extension; the role may read exactly these ARNs (without the suffix)."
  type        = map(string)
  default     = {}

  validation {
    condition = alltrue([
      for name, ref in var.secrets : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name)) && can(regex("^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[^#]+|ssm:[a-z0-9-]+:[0-9]{12}:parameter/[^#]+)(#[A-Za-z0-9_.-]+)?$", ref))
    ])
    error_message = "Each secrets entry must map an env var name (^[A-Za-z_][A-Za-z0-9_]*$) to a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>, optionally #<key> to take one key of a JSON value) or an SSM parameter ARN (arn:aws:ssm:<region>:<account>:parameter/<name>)."
  }

  validation {
    condition     = alltrue([for ref in values(var.secrets) : !(can(regex("^arn:aws[a-z-]*:ssm:", ref)) && strcontains(ref, "#"))])
    error_message = "A #key suffix is only for Secrets Manager secrets (whose values the application parses as JSON); SSM parameter ARNs in secrets may not have one."
  }
}

variable "kms_key_arns" {
  description = "Customer-managed KMS keys the role may use for kms:Decrypt (secrets, SecureString parameters or an SQS queue encrypted with them). Not needed for AWS-managed keys."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", arn))])
    error_message = "kms_key_arns must be KMS key ARNs (arn:aws:kms:<region>:<account>:key/<id>)."
  }
}

variable "lwa_layer_arn" {
  description = "ARN of the AWS Lambda Web Adapter layer. null = arn:aws:lambda:<region>:753240598075:layer:LambdaAdapterLayerX86:26 (or LambdaAdapterLayerArm64:26 for arm64)."
  type        = string
  default     = null

  validation {
    condition     = var.lwa_layer_arn == null ? true : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.lwa_layer_arn))
    error_message = "lwa_layer_arn must be a layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>)."
  }
}

variable "secrets_extension_layer_arn" {
  description = "ARN of the AWS Parameters and Secrets Lambda Extension layer, attached when `secrets` is not empty. null = version 19 published by account 177933569100, which is the us-east-1 publisher; the publishing account and version differ by region, so set this outside us-east-1 (see the ARN table in the AWS Systems Manager guide, ps-integration-lambda-extensions)."
  type        = string
  default     = null

  validation {
    condition     = var.secrets_extension_layer_arn == null ? true : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.secrets_extension_layer_arn))
    error_message = "secrets_extension_layer_arn must be a layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>)."
  }
}

variable "extra_layers" {
  description = "Further layer version ARNs, added after the adapter and the secrets extension."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.extra_layers : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", arn))])
    error_message = "extra_layers must be layer version ARNs."
  }
}

variable "alias_name" {
  description = "Name of the alias that points at the published version (jvm variant only); the function URL, event sources and schedule target it."
  type        = string
  default     = "live"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_-]{0,127}$", var.alias_name))
    error_message = "alias_name must start with a letter and hold letters, digits, '-' or '_' (at most 128)."
  }
}

variable "create_function_url" {
  description = "Whether to create a function URL."
  type        = bool
  default     = true
}

variable "function_url_authorization_type" {
  description = "AWS_IAM (callers sign with SigV4 and need lambda:InvokeFunctionUrl) or NONE (public; the application authenticates, as the gateway does with API keys)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.function_url_authorization_type)
    error_message = "function_url_authorization_type must be \"AWS_IAM\" or \"NONE\"."
  }
}

variable "function_url_callers" {
  description = "Principal ARNs (roles, users, accounts) granted lambda:InvokeFunctionUrl (and lambda:InvokeFunction, which function URLs created since October 2025 also require) with auth type AWS_IAM."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.function_url_callers : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:.+$", arn))])
    error_message = "function_url_callers must be IAM principal ARNs (arn:aws:iam::<account>:role/..., :user/... or :root)."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's CloudWatch log group in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "log_format" {
  description = "Lambda log format: Text or JSON."
  type        = string
  default     = "Text"

  validation {
    condition     = contains(["Text", "JSON"], var.log_format)
    error_message = "log_format must be \"Text\" or \"JSON\"."
  }
}

variable "vpc_config" {
  description = "Subnets and security groups when the function must reach a VPC (the database). null = no VPC (and no ENI permissions)."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null

  validation {
    condition     = var.vpc_config == null ? true : (length(var.vpc_config.subnet_ids) > 0 && length(var.vpc_config.security_group_ids) > 0)
    error_message = "vpc_config needs at least one subnet and one security group."
  }
}

variable "execute_api_arns" {
  description = "API Gateway route ARNs (arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>) the function may call with SigV4: the events ingress routes for producers."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.execute_api_arns : can(regex("^arn:aws[a-z-]*:execute-api:[a-z0-9-]+:[0-9]{12}:[a-z0-9]+/.+$", arn))])
    error_message = "execute_api_arns must be execute-api ARNs (arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>)."
  }
}

variable "invoke_function_arns" {
  description = "Function (or alias) ARNs this function may call through their AWS_IAM function URLs, signing with SigV4 (service lambda): lambda:InvokeFunctionUrl, and lambda:InvokeFunction (which URLs created since October 2025 also require) only with lambda:InvokedViaFunctionUrl = true. Same account: an identity policy suffices, no resource policy needed."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.invoke_function_arns : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$", arn))])
    error_message = "invoke_function_arns must be Lambda function or alias ARNs."
  }
}

variable "sqs_event_source" {
  description = "An SQS queue the function consumes: an event source mapping with ReportBatchItemFailures (LWA posts each batch to /events and the app answers batchItemFailures). queue_arn; batch_size (1-10000, above 10 needs a window); maximum_batching_window_seconds (0-300); maximum_concurrency (2-1000, null = no limit beyond reserved concurrency). null = none. An object, so that the queue ARN may be unknown until apply."
  type = object({
    queue_arn                       = string
    batch_size                      = optional(number, 10)
    maximum_batching_window_seconds = optional(number, 0)
    maximum_concurrency             = optional(number)
  })
  default = null

  validation {
    condition     = var.sqs_event_source == null ? true : can(regex("^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]+$", var.sqs_event_source.queue_arn))
    error_message = "sqs_event_source.queue_arn must be an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)."
  }

  validation {
    condition     = var.sqs_event_source == null ? true : (var.sqs_event_source.batch_size >= 1 && var.sqs_event_source.batch_size <= 10000 && floor(var.sqs_event_source.batch_size) == var.sqs_event_source.batch_size)
    error_message = "sqs_event_source.batch_size must be a whole number from 1 to 10000."
  }

  validation {
    condition     = var.sqs_event_source == null ? true : (var.sqs_event_source.maximum_batching_window_seconds >= 0 && var.sqs_event_source.maximum_batching_window_seconds <= 300)
    error_message = "sqs_event_source.maximum_batching_window_seconds must be 0-300."
  }

  validation {
    condition     = var.sqs_event_source == null ? true : (var.sqs_event_source.batch_size <= 10 || var.sqs_event_source.maximum_batching_window_seconds >= 1)
    error_message = "sqs_event_source.batch_size above 10 needs maximum_batching_window_seconds >= 1."
  }

  validation {
    condition     = var.sqs_event_source == null ? true : (var.sqs_event_source.maximum_concurrency == null ? true : (var.sqs_event_source.maximum_concurrency >= 2 && var.sqs_event_source.maximum_concurrency <= 1000))
    error_message = "sqs_event_source.maximum_concurrency must be null or 2-1000."
  }
}

variable "eventbridge_rule" {
  description = "An EventBridge rule whose matching events invoke the function: event_pattern (JSON), optional event_bus_name (default \"default\") and description. null = none."
  type = object({
    event_pattern  = string
    event_bus_name = optional(string, "default")
    description    = optional(string, "")
  })
  default = null

  validation {
    condition     = var.eventbridge_rule == null ? true : can(jsondecode(var.eventbridge_rule.event_pattern))
    error_message = "eventbridge_rule.event_pattern must be JSON."
  }
}

variable "schedule" {
  description = "An EventBridge Scheduler schedule that invokes the function (the alias for jvm): expression (rate(...), cron(...) or at(...)), input (JSON payload; may hold <aws.scheduler.*> context attributes), timezone, flexible window in minutes (null = off). null = none."
  type = object({
    expression              = string
    input                   = optional(string)
    timezone                = optional(string, "UTC")
    flexible_window_minutes = optional(number)
  })
  default = null

  validation {
    condition     = var.schedule == null ? true : can(regex("^(rate|cron|at)\\(.+\\)$", var.schedule.expression))
    error_message = "schedule.expression must be rate(...), cron(...) or at(...)."
  }

  validation {
    condition     = var.schedule == null ? true : (var.schedule.input == null ? true : can(jsondecode(var.schedule.input)))
    error_message = "schedule.input must be JSON."
  }

  validation {
    condition     = var.schedule == null ? true : (var.schedule.flexible_window_minutes == null ? true : (var.schedule.flexible_window_minutes >= 1 && var.schedule.flexible_window_minutes <= 1440))
    error_message = "schedule.flexible_window_minutes must be null or 1-1440."
  }
}

variable "tags" {
  description = "Tags for every resource the module creates."
  type        = map(string)
  default     = {}
}
