# One Spillway function on AWS Lambda behind the AWS Lambda Web Adapter (LWA): the Quarkus app
# listens on 8080, LWA turns function URL requests into HTTP requests to it and posts every other
# event (SQS batches, EventBridge events, Scheduler payloads) to the pass-through path /events.

data "aws_region" "current" {}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

locals {
  jvm       = var.package_variant == "jvm"
  region    = data.aws_region.current.name
  partition = data.aws_partition.current.partition

  runtime = local.jvm ? "java21" : "provided.al2023"
  handler = local.jvm ? "run.sh" : "bootstrap"

  lwa_layer_arn = coalesce(
    var.lwa_layer_arn,
    "arn:${local.partition}:lambda:${local.region}:753240598075:layer:${var.architecture == "arm64" ? "LambdaAdapterLayerArm64" : "LambdaAdapterLayerX86"}:26",
  )
  # The extension's publisher account and layer version differ by region; 177933569100 publishes it
  # in us-east-1 (version 19 is current there). A precondition below asks for the ARN elsewhere.
  secrets_extension_layer_arn = coalesce(
    var.secrets_extension_layer_arn,
    "arn:${local.partition}:lambda:${local.region}:177933569100:layer:${var.architecture == "arm64" ? "AWS-Parameters-and-Secrets-Lambda-Extension-Arm64" : "AWS-Parameters-and-Secrets-Lambda-Extension"}:19",
  )
  layers = concat(
    [local.lwa_layer_arn],
    length(var.secrets) > 0 ? [local.secrets_extension_layer_arn] : [],
    var.extra_layers,
  )

  # The environment the Java side is written against (see README "Environment contract").
  module_environment = merge(
    {
      QUARKUS_HTTP_PORT            = "8080"
      AWS_LWA_PORT                 = "8080"
      AWS_LWA_READINESS_CHECK_PATH = "/q/health/ready"
      AWS_LWA_PASS_THROUGH_PATH    = "/events"
      AWS_LWA_INVOKE_MODE          = var.streaming ? "response_stream" : "buffered"
    },
    local.jvm ? { AWS_LAMBDA_EXEC_WRAPPER = "/opt/bootstrap" } : {},
    length(var.secrets) > 0 ? { SPILLWAY_SECRETS = jsonencode(var.secrets) } : {},
  )
  environment = tomap(merge(var.environment, local.module_environment))
  # What the function gets; `environment` (an output) leaves the sensitive values out.
  # (The names are not secret; only when there are some is the whole map marked sensitive.)
  function_environment = length(nonsensitive(keys(var.sensitive_environment))) > 0 ? merge(var.environment, var.sensitive_environment, local.module_environment) : local.environment

  # A reference is ARN or ARN#key (one key of a JSON secret value): IAM takes the bare ARN.
  secret_refs    = [for ref in values(var.secrets) : split("#", ref)[0]]
  secret_arns    = sort(distinct([for arn in local.secret_refs : arn if can(regex("^arn:[^:]+:secretsmanager:", arn))]))
  parameter_arns = sort(distinct([for arn in local.secret_refs : arn if can(regex("^arn:[^:]+:ssm:", arn))]))

  # What invokers target: the alias for jvm (SnapStart snapshots exist for published versions only).
  qualifier  = local.jvm ? var.alias_name : null
  target_arn = local.jvm ? aws_lambda_alias.this[0].arn : aws_lambda_function.this.arn

  policy_statements = concat(
    [{
      Sid    = "WriteOwnLogs"
      Effect = "Allow"
      Action = ["logs:CreateLogStream", "logs:PutLogEvents"]
      # The streams of this function's own log group (created below, so no logs:CreateLogGroup).
      Resource = ["${aws_cloudwatch_log_group.this.arn}:log-stream:*"]
    }],
    length(local.secret_arns) > 0 ? [{
      Sid      = "ReadOwnSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = local.secret_arns
    }] : [],
    length(local.parameter_arns) > 0 ? [{
      Sid      = "ReadOwnParameters"
      Effect   = "Allow"
      Action   = ["ssm:GetParameter"]
      Resource = local.parameter_arns
    }] : [],
    length(var.kms_key_arns) > 0 ? [{
      Sid      = "DecryptWithGivenKeys"
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = sort(distinct(var.kms_key_arns))
    }] : [],
    var.sqs_event_source != null ? [{
      Sid      = "ConsumeOwnQueue"
      Effect   = "Allow"
      Action   = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]
      Resource = [var.sqs_event_source.queue_arn]
    }] : [],
    length(var.execute_api_arns) > 0 ? [{
      Sid      = "SendEventsToIngress"
      Effect   = "Allow"
      Action   = ["execute-api:Invoke"]
      Resource = sort(distinct(var.execute_api_arns))
    }] : [],
    # Calls to AWS_IAM function URLs, signed with SigV4 (service lambda). Function URLs created since
    # October 2025 also require lambda:InvokeFunction; the condition keeps it to calls that come
    # through the URL, so the role cannot invoke those functions directly (and reach /events).
    length(var.invoke_function_arns) > 0 ? [{
      Sid      = "CallFunctionUrls"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunctionUrl"]
      Resource = sort(distinct(var.invoke_function_arns))
    }] : [],
    length(var.invoke_function_arns) > 0 ? [{
      Sid       = "InvokeThroughFunctionUrls"
      Effect    = "Allow"
      Action    = ["lambda:InvokeFunction"]
      Resource  = sort(distinct(var.invoke_function_arns))
      Condition = { Bool = { "lambda:InvokedViaFunctionUrl" = "true" } }
    }] : [],
    var.vpc_config != null ? [{
      Sid    = "VpcNetworkInterfaces"
      Effect = "Allow"
      Action = [
        "ec2:AssignPrivateIpAddresses",
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:UnassignPrivateIpAddresses",
      ]
      # AWS requires "*" here: the ec2:Describe* actions support no resource-level permissions and
      # Lambda creates the ENIs in subnets it picks at run time (the same statement as the managed
      # policy AWSLambdaVPCAccessExecutionRole, without its logs:* on "*").
      Resource = ["*"]
    }] : [],
  )
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_iam_role" "this" {
  name = "${var.function_name}-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name = "${var.function_name}-least-privilege"
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = local.policy_statements
  })
}

resource "aws_lambda_function" "this" {
  function_name    = var.function_name
  description      = var.description
  role             = aws_iam_role.this.arn
  filename         = var.package_file
  source_code_hash = filebase64sha256(var.package_file)
  runtime          = local.runtime
  handler          = local.handler
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = var.timeout
  layers           = local.layers
  publish          = local.jvm

  reserved_concurrent_executions = var.reserved_concurrent_executions

  ephemeral_storage {
    size = var.ephemeral_storage_size
  }

  environment {
    variables = local.function_environment
  }

  logging_config {
    log_format = var.log_format
    log_group  = aws_cloudwatch_log_group.this.name
  }

  dynamic "snap_start" {
    for_each = local.jvm ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  dynamic "vpc_config" {
    for_each = var.vpc_config != null ? [var.vpc_config] : []
    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  tags = var.tags

  depends_on = [aws_iam_role_policy.this]

  lifecycle {
    precondition {
      condition     = length(var.secrets) == 0 || var.secrets_extension_layer_arn != null || local.region == "us-east-1"
      error_message = "Outside us-east-1 the AWS Parameters and Secrets Lambda Extension is published by another account with another layer version: set secrets_extension_layer_arn (the ARN table is in the AWS Systems Manager user guide, ps-integration-lambda-extensions)."
    }
    precondition {
      condition     = !local.jvm || var.ephemeral_storage_size == 512
      error_message = "SnapStart (the jvm variant) does not support ephemeral storage above 512 MB."
    }
    precondition {
      condition     = length(var.function_url_callers) == 0 || (var.create_function_url && var.function_url_authorization_type == "AWS_IAM")
      error_message = "function_url_callers needs create_function_url = true and function_url_authorization_type = \"AWS_IAM\"."
    }
  }
}

resource "aws_lambda_alias" "this" {
  count = local.jvm ? 1 : 0

  name             = var.alias_name
  description      = "The published version SnapStart restores from; every invoker targets it."
  function_name    = aws_lambda_function.this.function_name
  function_version = aws_lambda_function.this.version
}

resource "aws_lambda_function_url" "this" {
  count = var.create_function_url ? 1 : 0

  function_name      = aws_lambda_function.this.function_name
  qualifier          = local.qualifier
  authorization_type = var.function_url_authorization_type
  invoke_mode        = var.streaming ? "RESPONSE_STREAM" : "BUFFERED"

  depends_on = [aws_lambda_alias.this]
}

# A NONE function URL answers 403 unless the resource policy lets everyone ("*": AWS requires that
# principal for a public URL) call InvokeFunctionUrl with auth type NONE. The pass-through path
# /events stays unreachable through the URL: LWA only posts non-HTTP events there.
resource "aws_lambda_permission" "public_url" {
  count = var.create_function_url && var.function_url_authorization_type == "NONE" ? 1 : 0

  statement_id           = "FunctionUrlPublic"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.this.function_name
  qualifier              = local.qualifier
  principal              = "*"
  function_url_auth_type = "NONE"

  depends_on = [aws_lambda_alias.this]
}

resource "aws_lambda_permission" "url_callers" {
  for_each = toset(var.function_url_callers)

  statement_id_prefix    = "FunctionUrlCaller"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.this.function_name
  qualifier              = local.qualifier
  principal              = each.value
  function_url_auth_type = "AWS_IAM"

  depends_on = [aws_lambda_alias.this]
}

# Function URLs created since October 2025 also require lambda:InvokeFunction for their callers.
resource "aws_lambda_permission" "url_callers_invoke" {
  for_each = toset(var.function_url_callers)

  statement_id_prefix = "FunctionUrlCallerInvoke"
  action              = "lambda:InvokeFunction"
  function_name       = aws_lambda_function.this.function_name
  qualifier           = local.qualifier
  principal           = each.value

  depends_on = [aws_lambda_alias.this]
}

resource "aws_lambda_event_source_mapping" "sqs" {
  count = var.sqs_event_source != null ? 1 : 0

  event_source_arn                   = var.sqs_event_source.queue_arn
  function_name                      = local.target_arn
  batch_size                         = var.sqs_event_source.batch_size
  maximum_batching_window_in_seconds = var.sqs_event_source.maximum_batching_window_seconds
  # The app answers {"batchItemFailures": [...]}: only the failed messages are retried.
  function_response_types = ["ReportBatchItemFailures"]

  dynamic "scaling_config" {
    for_each = var.sqs_event_source.maximum_concurrency != null ? [var.sqs_event_source.maximum_concurrency] : []
    content {
      maximum_concurrency = scaling_config.value
    }
  }

  depends_on = [aws_iam_role_policy.this]
}

resource "aws_cloudwatch_event_rule" "this" {
  count = var.eventbridge_rule != null ? 1 : 0

  name           = var.function_name
  description    = var.eventbridge_rule.description
  event_bus_name = var.eventbridge_rule.event_bus_name
  event_pattern  = var.eventbridge_rule.event_pattern
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  count = var.eventbridge_rule != null ? 1 : 0

  rule           = aws_cloudwatch_event_rule.this[0].name
  event_bus_name = var.eventbridge_rule.event_bus_name
  target_id      = var.function_name
  arn            = local.target_arn
}

resource "aws_lambda_permission" "eventbridge" {
  count = var.eventbridge_rule != null ? 1 : 0

  statement_id  = "EventBridgeRule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  qualifier     = local.qualifier
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.this[0].arn
}

resource "aws_iam_role" "scheduler" {
  count = var.schedule != null ? 1 : 0

  name = "${var.function_name}-scheduler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "scheduler.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "scheduler" {
  count = var.schedule != null ? 1 : 0

  name = "${var.function_name}-invoke"
  role = aws_iam_role.scheduler[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "InvokeScheduledTarget"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = [local.target_arn]
    }]
  })
}

resource "aws_scheduler_schedule" "this" {
  count = var.schedule != null ? 1 : 0

  name                         = var.function_name
  schedule_expression          = var.schedule.expression
  schedule_expression_timezone = var.schedule.timezone

  flexible_time_window {
    mode                      = var.schedule.flexible_window_minutes == null ? "OFF" : "FLEXIBLE"
    maximum_window_in_minutes = var.schedule.flexible_window_minutes
  }

  target {
    arn      = local.target_arn
    role_arn = aws_iam_role.scheduler[0].arn
    input    = var.schedule.input

    retry_policy {
      maximum_retry_attempts       = 2
      maximum_event_age_in_seconds = 3600
    }
  }

  depends_on = [aws_iam_role_policy.scheduler]
}
