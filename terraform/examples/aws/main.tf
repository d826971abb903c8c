# Spillway on AWS: four Lambda functions behind the Lambda Web Adapter, RDS PostgreSQL 16, and an
# HTTP API that takes the producers' CloudEvents (SigV4-signed) into SQS queues the consumers poll.
#
#   gateway --POST /events/usage (IAM)--> SQS usage   --> quota  (LWA pass-through /events)
#   gateway --POST /events/samples (IAM)-> SQS samples --> drift
#   drift   --POST /events/drift (IAM)--> SQS drift-detected (for alerting subscribers)
#   EventBridge Scheduler ---------------------------> drift (CloudEvent dev.spillway.drift.run-requested)
#
# Calls between functions, as the applications make them:
#   gateway, drift --Authorization: Bearer <service key>--> quota URL (NONE)
#   drift ---------SigV4 (service lambda)------------------> embedding URL (AWS_IAM)

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  package_dir = coalesce(var.package_dir, "${path.module}/../../../target/lambda")
  name        = { for fn in ["gateway", "quota", "embedding", "drift"] : fn => "${var.name_prefix}-${fn}" }

  # JVM flags of the embedding function (functions/embedding/jvm.options without its comments).
  embedding_jvm_options_file = "${path.module}/../../../functions/embedding/jvm.options"
  embedding_java_tool_options = fileexists(local.embedding_jvm_options_file) ? join(" ", [
    for line in split("\n", file(local.embedding_jvm_options_file)) : trimspace(line)
    if trimspace(line) != "" && !startswith(trimspace(line), "#")
  ]) : "-XX:+UseSerialGC -Xms256m -Xmx256m -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError"

  stage = aws_apigatewayv2_stage.events.name
  routes = {
    usage   = { path = "/events/usage", queue = aws_sqs_queue.usage }
    samples = { path = "/events/samples", queue = aws_sqs_queue.samples }
    drift   = { path = "/events/drift", queue = aws_sqs_queue.drift_detected }
  }
  route_url = { for k, r in local.routes : k => "${aws_apigatewayv2_api.events.api_endpoint}${r.path}" }
  route_arn = { for k, r in local.routes : k => "${aws_apigatewayv2_api.events.execution_arn}/${local.stage}/POST${r.path}" }

  db_password_secret_arn = module.database.master_user_secret_arn

  # Function URL auth types. Fixed, because they follow from how the applications call each other:
  # - gateway NONE: clients authenticate with tenant API keys.
  # - quota NONE: gateway and drift send their service keys in "Authorization: Bearer ...", which
  #   cannot share the Authorization header with a SigV4 signature; the admin API takes the admin
  #   key. Its event endpoints (Funqy "/", "/usage-recorded") refuse requests that come through the
  #   URL (the adapter's x-amzn-request-context header), so usage only enters through SQS.
  # - embedding AWS_IAM: drift signs its calls with SigV4 (service lambda); drift's role may call
  #   exactly this URL.
  # - drift NONE: its API takes tenant/admin keys; its event paths ("/", "/query-sampled",
  #   "/drift-run") refuse requests that come through the URL, as quota's do.
  url_authorization_type = {
    gateway   = "NONE"
    quota     = "NONE"
    embedding = "AWS_IAM"
    drift     = "NONE"
  }
}

# --- network -------------------------------------------------------------------------------------

resource "aws_security_group" "functions" {
  name        = "${var.name_prefix}-functions"
  description = "Spillway functions in the VPC (quota, drift): outbound only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "functions_https" {
  security_group_id = aws_security_group.functions.id
  description       = "HTTPS to AWS APIs (Secrets Manager, API Gateway) and function URLs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "functions_postgres" {
  security_group_id            = aws_security_group.functions.id
  description                  = "PostgreSQL to the database"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = module.database.security_group_id
}

# --- database ------------------------------------------------------------------------------------

module "database" {
  source = "../../modules/database"

  identifier                 = var.name_prefix
  vpc_id                     = var.vpc_id
  subnet_ids                 = var.private_subnet_ids
  allowed_security_group_ids = [aws_security_group.functions.id]
  instance_class             = var.db_instance_class
  deletion_protection        = var.db_deletion_protection
}

# --- event queues --------------------------------------------------------------------------------

resource "aws_sqs_queue" "usage_dlq" {
  name                      = "${var.name_prefix}-usage-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "usage" {
  name                    = "${var.name_prefix}-usage"
  sqs_managed_sse_enabled = true
  # At least six times the consumer's timeout (30 s), as AWS advises for Lambda event sources.
  visibility_timeout_seconds = 180
  redrive_policy             = jsonencode({ deadLetterTargetArn = aws_sqs_queue.usage_dlq.arn, maxReceiveCount = 5 })
}

resource "aws_sqs_queue_redrive_allow_policy" "usage_dlq" {
  queue_url            = aws_sqs_queue.usage_dlq.id
  redrive_allow_policy = jsonencode({ redrivePermission = "byQueue", sourceQueueArns = [aws_sqs_queue.usage.arn] })
}

resource "aws_sqs_queue" "samples_dlq" {
  name                      = "${var.name_prefix}-samples-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "samples" {
  name                    = "${var.name_prefix}-samples"
  sqs_managed_sse_enabled = true
  # Six times drift's 300 s timeout.
  visibility_timeout_seconds = 1800
  redrive_policy             = jsonencode({ deadLetterTargetArn = aws_sqs_queue.samples_dlq.arn, maxReceiveCount = 5 })
}

resource "aws_sqs_queue_redrive_allow_policy" "samples_dlq" {
  queue_url            = aws_sqs_queue.samples_dlq.id
  redrive_allow_policy = jsonencode({ redrivePermission = "byQueue", sourceQueueArns = [aws_sqs_queue.samples.arn] })
}

# dev.spillway.drift.detected: kept 14 days for whatever alerting subscribes (no consumer here).
resource "aws_sqs_queue" "drift_detected" {
  name                      = "${var.name_prefix}-drift-detected"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

# --- events ingress: HTTP API -> SQS --------------------------------------------------------------

resource "aws_apigatewayv2_api" "events" {
  name          = "${var.name_prefix}-events"
  protocol_type = "HTTP"
  description   = "Spillway events ingress: CloudEvents from the producers into SQS (SigV4, IAM)"
}

resource "aws_apigatewayv2_stage" "events" {
  api_id      = aws_apigatewayv2_api.events.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 500
    throttling_rate_limit  = 1000
  }
}

resource "aws_iam_role" "events_ingress" {
  name = "${var.name_prefix}-events-ingress"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "apigateway.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}

resource "aws_iam_role_policy" "events_ingress" {
  name = "send-to-event-queues"
  role = aws_iam_role.events_ingress.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "SendToEventQueues"
      Effect   = "Allow"
      Action   = ["sqs:SendMessage"]
      Resource = [for k, r in local.routes : r.queue.arn]
    }]
  })
}

resource "aws_apigatewayv2_integration" "events" {
  for_each = local.routes

  api_id              = aws_apigatewayv2_api.events.id
  description         = "POST ${each.value.path} -> ${each.value.queue.name}"
  integration_type    = "AWS_PROXY"
  integration_subtype = "SQS-SendMessage"
  credentials_arn     = aws_iam_role.events_ingress.arn

  request_parameters = {
    QueueUrl    = each.value.queue.url
    MessageBody = "$request.body"
  }
}

resource "aws_apigatewayv2_route" "events" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.events.id
  route_key          = "POST ${each.value.path}"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.events[each.key].id}"
}

# --- functions -----------------------------------------------------------------------------------

module "gateway" {
  source = "../../modules/lambda"

  function_name   = local.name.gateway
  description     = "Spillway gateway: OpenAI-compatible, streams SSE"
  package_file    = "${local.package_dir}/gateway-native.zip"
  package_variant = "native"
  architecture    = var.architecture
  memory_size     = 1024
  timeout         = 900
  streaming       = true

  # The gateway authenticates its callers by API key.
  function_url_authorization_type = local.url_authorization_type.gateway
  reserved_concurrent_executions  = var.gateway_reserved_concurrency

  environment = {
    OPENAI_BASE_URL    = var.openai_base_url
    ANTHROPIC_BASE_URL = var.anthropic_base_url
    GATEWAY_QUOTA_URL  = trimsuffix(module.quota.function_url, "/")
    K_SINK             = local.route_url.usage
    GATEWAY_DRIFT_SINK = local.route_url.samples
  }
  secrets = {
    OPENAI_API_KEY            = var.openai_api_key_secret_arn
    ANTHROPIC_API_KEY         = var.anthropic_api_key_secret_arn
    GATEWAY_QUOTA_SERVICE_KEY = var.gateway_quota_service_key_secret_arn
  }
  secrets_extension_layer_arn = var.secrets_extension_layer_arn
  # Usage and samples are POSTed SigV4-signed (service execute-api) to exactly these routes. Quota
  # is called with the service key (its URL is NONE): no lambda:Invoke* permission.
  execute_api_arns   = [local.route_arn.usage, local.route_arn.samples]
  log_retention_days = var.log_retention_days
}

module "quota" {
  source = "../../modules/lambda"

  function_name   = local.name.quota
  description     = "Spillway quota: leases, usage ledger, budgets"
  package_file    = "${local.package_dir}/quota-native.zip"
  package_variant = "native"
  architecture    = var.architecture
  memory_size     = 512
  timeout         = 30

  # Service keys (Bearer) and the admin key; event endpoints closed to URL callers (see locals).
  function_url_authorization_type = local.url_authorization_type.quota

  environment = {
    QUOTA_DB_URL  = module.database.db_url
    QUOTA_DB_USER = module.database.username
  }
  sensitive_environment = {
    QUOTA_ADMIN_KEY_HASH   = var.quota_admin_key_hash
    QUOTA_SERVICE_KEY_HASH = var.quota_service_key_hash
  }
  secrets = {
    # The RDS-managed secret: its value is JSON {"username": ..., "password": ...}; #password takes
    # that key (the role reads the bare secret ARN).
    QUOTA_DB_PASSWORD = "${local.db_password_secret_arn}#password"
  }
  secrets_extension_layer_arn = var.secrets_extension_layer_arn

  sqs_event_source = {
    queue_arn                       = aws_sqs_queue.usage.arn
    batch_size                      = 50
    maximum_batching_window_seconds = 2
    maximum_concurrency             = var.consumer_max_concurrency
  }

  vpc_config = {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [aws_security_group.functions.id]
  }
  log_retention_days = var.log_retention_days
}

module "embedding" {
  source = "../../modules/lambda"

  function_name = local.name.embedding
  description   = "Spillway embedding: ONNX Runtime on the JVM (never native)"
  package_file  = "${local.package_dir}/embedding-jvm.zip"
  # ONNX Runtime and the DJL tokenizer load JNI libraries: JVM only, x86_64 only.
  package_variant = "jvm"
  architecture    = "x86_64"
  memory_size     = 3008
  timeout         = 30

  # Drift's SigV4-signed calls only (drift's role: invoke_function_arns below).
  function_url_authorization_type = local.url_authorization_type.embedding

  environment = {
    JAVA_TOOL_OPTIONS = local.embedding_java_tool_options
  }
  log_retention_days = var.log_retention_days
}

module "drift" {
  source = "../../modules/lambda"

  function_name   = local.name.drift
  description     = "Spillway drift: embedding drift reports"
  package_file    = "${local.package_dir}/drift-native.zip"
  package_variant = "native"
  architecture    = var.architecture
  memory_size     = 2048
  timeout         = 300

  # Tenant and admin keys; event paths closed to URL callers (see locals).
  function_url_authorization_type = local.url_authorization_type.drift

  environment = {
    DRIFT_DB_URL         = module.database.db_url
    DRIFT_DB_USER        = module.database.username
    DRIFT_EMBEDDING_URL  = trimsuffix(module.embedding.function_url, "/")
    DRIFT_QUOTA_URL      = trimsuffix(module.quota.function_url, "/")
    K_SINK               = local.route_url.drift
    DRIFT_SCHEDULE_EVERY = "off"
  }
  sensitive_environment = {
    DRIFT_ADMIN_KEY_HASH = var.drift_admin_key_hash
  }
  secrets = {
    DRIFT_DB_PASSWORD       = "${local.db_password_secret_arn}#password"
    DRIFT_QUOTA_SERVICE_KEY = var.drift_quota_service_key_secret_arn
  }
  secrets_extension_layer_arn = var.secrets_extension_layer_arn

  sqs_event_source = {
    queue_arn                       = aws_sqs_queue.samples.arn
    batch_size                      = 100
    maximum_batching_window_seconds = 5
    maximum_concurrency             = var.consumer_max_concurrency
  }

  schedule = {
    expression = var.drift_schedule_expression
    input      = trimspace(var.drift_schedule_input)
  }

  # drift.detected is POSTed SigV4-signed (execute-api) to its route; the embedding URL is called
  # SigV4-signed (lambda); quota with the service key (no permission needed).
  execute_api_arns     = [local.route_arn.drift]
  invoke_function_arns = [module.embedding.target_arn]

  vpc_config = {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [aws_security_group.functions.id]
  }
  log_retention_days = var.log_retention_days
}
