variable "region" {
  description = "AWS region. The secrets extension's default layer ARN is for us-east-1; elsewhere set secrets_extension_layer_arn."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
  default     = "spillway"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,20}$", var.name_prefix))
    error_message = "name_prefix must be lower-case letters, digits and '-', at most 21 characters."
  }
}

variable "package_dir" {
  description = "Folder of the Lambda packages written by `bin/spillway package lambda` (<function>-<variant>.zip). null = <repo>/target/lambda."
  type        = string
  default     = null
}

variable "architecture" {
  description = "Architecture of gateway, quota and drift (embedding stays x86_64: the DJL tokenizer's native library ships for linux-x86_64 only)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "vpc_id" {
  description = "VPC of the database and of the quota and drift functions."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets (two or more AZs) for the database and the VPC functions. They need a route out (NAT gateway) or VPC endpoints for Secrets Manager and API Gateway, and a NAT for the function URLs they call."
  type        = list(string)
}

variable "secrets_extension_layer_arn" {
  description = "ARN of the AWS Parameters and Secrets Lambda Extension layer for the region and architecture (null = the us-east-1 default of modules/lambda)."
  type        = string
  default     = null
}

variable "openai_base_url" {
  description = "OpenAI-compatible upstream base URL of the gateway."
  type        = string
  default     = "https://api.openai.com/v1"
}

variable "anthropic_base_url" {
  description = "Anthropic upstream base URL of the gateway."
  type        = string
  default     = "https://api.anthropic.com"
}

variable "openai_api_key_secret_arn" {
  description = "Secrets Manager secret (or SSM SecureString parameter) ARN holding the OpenAI API key."
  type        = string
}

variable "anthropic_api_key_secret_arn" {
  description = "Secrets Manager secret (or SSM SecureString parameter) ARN holding the Anthropic API key."
  type        = string
}

variable "gateway_quota_service_key_secret_arn" {
  description = "Secret ARN holding the service key the gateway presents to the quota function."
  type        = string
}

variable "drift_quota_service_key_secret_arn" {
  description = "Secret ARN holding the service key the drift function presents to the quota function."
  type        = string
}

variable "quota_admin_key_hash" {
  description = "sha256 (hex) of the quota function's admin key."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.quota_admin_key_hash))
    error_message = "quota_admin_key_hash must be 64 lower-case hex digits (sha256)."
  }
}

variable "quota_service_key_hash" {
  description = "sha256 (hex) of the service key(s) the quota function accepts from gateway and drift."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.quota_service_key_hash))
    error_message = "quota_service_key_hash must be 64 lower-case hex digits (sha256)."
  }
}

variable "drift_admin_key_hash" {
  description = "sha256 (hex) of the drift function's admin key."
  type        = string
  sensitive   = true

  validation {
    condition     = can(regex("^[0-9a-f]{64}$", var.drift_admin_key_hash))
    error_message = "drift_admin_key_hash must be 64 lower-case hex digits (sha256)."
  }
}

variable "gateway_reserved_concurrency" {
  description = "Reserved concurrency of the gateway (null = unreserved)."
  type        = number
  default     = null
}

variable "consumer_max_concurrency" {
  description = "SQS maximum concurrency of the quota and drift event source mappings (2-1000): bounds the database connections the consumers open."
  type        = number
  default     = 5
}

variable "drift_schedule_expression" {
  description = "EventBridge Scheduler expression of the drift runs."
  type        = string
  default     = "cron(5 * * * ? *)"
}

variable "drift_schedule_input" {
  description = "Payload the Scheduler sends to drift: a structured CloudEvent; <aws.scheduler.*> are Scheduler context attributes filled in per run. A literal string (jsonencode would escape < and >)."
  type        = string
  default     = <<-EOT
    {"specversion":"1.0","id":"<aws.scheduler.execution-id>","source":"aws.scheduler","type":"dev.spillway.drift.run-requested","time":"<aws.scheduler.scheduled-time>","data":{}}
  EOT

  validation {
    condition     = can(jsondecode(var.drift_schedule_input))
    error_message = "drift_schedule_input must be JSON."
  }
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.micro"
}

variable "db_deletion_protection" {
  description = "Deletion protection of the database."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the functions' log groups."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Default tags of every resource."
  type        = map(string)
  default     = { "app" = "spillway" }
}
