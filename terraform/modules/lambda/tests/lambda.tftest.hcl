# Offline tests of the lambda module: a mock AWS provider, with the values the assertions depend
# on (region, ARNs) set to realistic ones.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      name = "us-east-1"
    }
  }
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = {
      arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/spillway-test"
    }
  }
  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/spillway-test"
    }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn        = "arn:aws:lambda:us-east-1:123456789012:function:spillway-test"
      invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:spillway-test/invocations"
      version    = "1"
    }
  }
  mock_resource "aws_lambda_alias" {
    defaults = {
      arn        = "arn:aws:lambda:us-east-1:123456789012:function:spillway-test:live"
      invoke_arn = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:spillway-test:live/invocations"
    }
  }
  mock_resource "aws_lambda_function_url" {
    defaults = {
      function_url = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/"
    }
  }
  mock_resource "aws_cloudwatch_event_rule" {
    defaults = {
      arn = "arn:aws:events:us-east-1:123456789012:rule/spillway-test"
    }
  }
}

variables {
  package_file = "tests/fixtures/placeholder.zip"
}

# The gateway: native, x86_64, streaming, public URL (it authenticates callers by API key).
run "gateway_native_streaming" {
  command = apply

  variables {
    function_name                   = "spillway-gateway"
    streaming                       = true
    function_url_authorization_type = "NONE"
    environment = {
      OPENAI_BASE_URL = "http://127.0.0.1:18090/v1"
    }
    secrets = {
      OPENAI_API_KEY            = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/openai-api-key-AbCdEf"
      GATEWAY_QUOTA_SERVICE_KEY = "arn:aws:ssm:us-east-1:123456789012:parameter/spillway/gateway-quota-service-key"
    }
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables == tomap(jsondecode(file("tests/fixtures/gateway-environment.json")))
    error_message = "The gateway's environment differs from tests/fixtures/gateway-environment.json."
  }
  assert {
    condition     = output.environment == tomap(jsondecode(file("tests/fixtures/gateway-environment.json")))
    error_message = "The environment output differs from the function's environment."
  }
  assert {
    condition     = aws_lambda_function.this.runtime == "provided.al2023" && aws_lambda_function.this.handler == "bootstrap"
    error_message = "native must run bootstrap on provided.al2023."
  }
  assert {
    condition     = aws_lambda_function.this.architectures == tolist(["x86_64"])
    error_message = "architecture must be x86_64."
  }
  assert {
    condition     = aws_lambda_function.this.publish == false && length(aws_lambda_function.this.snap_start) == 0 && length(aws_lambda_alias.this) == 0
    error_message = "native publishes no version, has no SnapStart and no alias."
  }
  assert {
    condition = aws_lambda_function.this.layers == tolist([
      "arn:aws:lambda:us-east-1:753240598075:layer:LambdaAdapterLayerX86:26",
      "arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension:19",
    ])
    error_message = "Layers must be the x86 Lambda Web Adapter then the Parameters and Secrets extension."
  }
  assert {
    condition     = aws_lambda_function_url.this[0].invoke_mode == "RESPONSE_STREAM" && aws_lambda_function_url.this[0].authorization_type == "NONE"
    error_message = "The gateway's URL streams and is public."
  }
  assert {
    condition     = aws_lambda_function_url.this[0].qualifier == null
    error_message = "A native function URL targets $LATEST (no qualifier)."
  }
  assert {
    condition     = length(aws_lambda_permission.public_url) == 1 && aws_lambda_permission.public_url[0].function_url_auth_type == "NONE" && aws_lambda_permission.public_url[0].action == "lambda:InvokeFunctionUrl"
    error_message = "A NONE URL needs its public InvokeFunctionUrl permission."
  }
  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Action])) == toset([
      "logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue", "ssm:GetParameter",
    ])
    error_message = "The gateway's role may write its logs and read its secrets, nothing else."
  }
  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "ReadOwnSecrets"][0] == [
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/openai-api-key-AbCdEf",
    ]
    error_message = "secretsmanager:GetSecretValue must be on exactly the secret ARNs."
  }
  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "ReadOwnParameters"][0] == [
      "arn:aws:ssm:us-east-1:123456789012:parameter/spillway/gateway-quota-service-key",
    ]
    error_message = "ssm:GetParameter must be on exactly the parameter ARNs."
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "WriteOwnLogs"][0] == ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/spillway-test:log-stream:*"]
    error_message = "Logs only on the function's own log group."
  }
  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.this.policy).Statement :
      !anytrue([for a in s.Action : a == "*" || endswith(a, ":*")]) && !contains(s.Resource, "*")
    ])
    error_message = "No wildcard action or \"*\" resource."
  }
  assert {
    condition     = aws_lambda_function.this.logging_config[0].log_group == "/aws/lambda/spillway-gateway" && aws_cloudwatch_log_group.this.retention_in_days == 30
    error_message = "The function logs to its own log group with the default retention."
  }
  assert {
    condition     = length(aws_lambda_event_source_mapping.sqs) == 0 && length(aws_scheduler_schedule.this) == 0 && length(aws_cloudwatch_event_rule.this) == 0
    error_message = "No event sources unless asked for."
  }
}

# The quota function: native, buffered, consumes an SQS queue.
run "quota_native_sqs" {
  command = apply

  variables {
    function_name = "spillway-quota"
    environment = {
      QUOTA_DB_URL           = "postgresql://127.0.0.1:5432/spillway"
      QUOTA_DB_USER          = "spillway"
      QUOTA_ADMIN_KEY_HASH   = "5d685714910bcc0a652cdb9afae2c5843edb4d7c2b8155ff720272aea3fcd873"
      QUOTA_SERVICE_KEY_HASH = "2243b71a2a2402a4394cc991f3b1a723bb7117572bfc6bda7def1534ae656881"
    }
    secrets = {
      QUOTA_DB_PASSWORD = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/quota-db-password-GhIjKl"
    }
    sqs_event_source = {
      queue_arn                       = "arn:aws:sqs:us-east-1:123456789012:spillway-usage"
      batch_size                      = 25
      maximum_batching_window_seconds = 2
      maximum_concurrency             = 5
    }
    reserved_concurrent_executions = 10
    function_url_callers           = ["arn:aws:iam::123456789012:role/spillway-gateway-lambda"]
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables == tomap(jsondecode(file("tests/fixtures/quota-environment.json")))
    error_message = "The quota environment differs from tests/fixtures/quota-environment.json."
  }
  assert {
    condition     = aws_lambda_function_url.this[0].invoke_mode == "BUFFERED" && aws_lambda_function_url.this[0].authorization_type == "AWS_IAM"
    error_message = "A non-streaming URL is BUFFERED and IAM-authorised by default."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.sqs[0].function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "The SQS mapping must report batch item failures."
  }
  assert {
    condition = (
      aws_lambda_event_source_mapping.sqs[0].event_source_arn == "arn:aws:sqs:us-east-1:123456789012:spillway-usage" &&
      aws_lambda_event_source_mapping.sqs[0].function_name == "arn:aws:lambda:us-east-1:123456789012:function:spillway-test" &&
      aws_lambda_event_source_mapping.sqs[0].batch_size == 25 &&
      aws_lambda_event_source_mapping.sqs[0].maximum_batching_window_in_seconds == 2 &&
      aws_lambda_event_source_mapping.sqs[0].scaling_config[0].maximum_concurrency == 5
    )
    error_message = "The SQS mapping's queue, target, batch size, window and maximum concurrency."
  }
  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Action])) == toset([
      "logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue",
      "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage",
    ])
    error_message = "The quota role: logs, its secret, its queue."
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "ConsumeOwnQueue"][0] == ["arn:aws:sqs:us-east-1:123456789012:spillway-usage"]
    error_message = "SQS actions only on the consumed queue."
  }
  assert {
    condition     = aws_lambda_function.this.reserved_concurrent_executions == 10
    error_message = "Reserved concurrency must be passed through."
  }
  assert {
    condition = (
      aws_lambda_permission.url_callers["arn:aws:iam::123456789012:role/spillway-gateway-lambda"].action == "lambda:InvokeFunctionUrl" &&
      aws_lambda_permission.url_callers["arn:aws:iam::123456789012:role/spillway-gateway-lambda"].function_url_auth_type == "AWS_IAM" &&
      aws_lambda_permission.url_callers_invoke["arn:aws:iam::123456789012:role/spillway-gateway-lambda"].action == "lambda:InvokeFunction" &&
      length(aws_lambda_permission.public_url) == 0
    )
    error_message = "Callers get InvokeFunctionUrl (AWS_IAM) and InvokeFunction; nobody else."
  }
}

# The drift function as the Lambda Web Adapter contract test starts it (bin/lib/lwa-contract.sh):
# SQS samples, an EventBridge schedule, secrets from Secrets Manager and SSM.
run "drift_native_reference" {
  command = apply

  variables {
    function_name = "spillway-drift"
    environment = {
      DRIFT_DB_URL         = "postgresql://127.0.0.1:5432/spillway"
      DRIFT_DB_USER        = "spillway"
      DRIFT_EMBEDDING_URL  = "http://127.0.0.1:18082"
      DRIFT_QUOTA_URL      = "http://127.0.0.1:18081"
      DRIFT_ADMIN_KEY_HASH = "5d685714910bcc0a652cdb9afae2c5843edb4d7c2b8155ff720272aea3fcd873"
      DRIFT_SCHEDULE_EVERY = "off"
    }
    secrets = {
      DRIFT_DB_PASSWORD       = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/drift-db-password-MnOpQr"
      DRIFT_QUOTA_SERVICE_KEY = "arn:aws:ssm:us-east-1:123456789012:parameter/spillway/drift-quota-service-key"
    }
    sqs_event_source = {
      queue_arn = "arn:aws:sqs:us-east-1:123456789012:spillway-samples"
    }
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables == tomap(jsondecode(file("tests/fixtures/drift-environment.json")))
    error_message = "The drift environment differs from tests/fixtures/drift-environment.json."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.sqs[0].function_response_types == toset(["ReportBatchItemFailures"])
    error_message = "The samples queue's mapping must report batch item failures."
  }
}

# The embedding function: jvm on arm64, SnapStart, alias, URL on the alias.
run "embedding_jvm_arm64" {
  command = apply

  variables {
    function_name   = "spillway-embedding"
    package_variant = "jvm"
    architecture    = "arm64"
    memory_size     = 3008
    environment = {
      JAVA_TOOL_OPTIONS = "-XX:+UseSerialGC -Xmx256m"
    }
  }

  assert {
    condition     = aws_lambda_function.this.runtime == "java21" && aws_lambda_function.this.handler == "run.sh"
    error_message = "jvm must run run.sh on java21."
  }
  assert {
    condition     = aws_lambda_function.this.publish == true && aws_lambda_function.this.snap_start[0].apply_on == "PublishedVersions"
    error_message = "jvm publishes versions with SnapStart on PublishedVersions."
  }
  assert {
    condition     = aws_lambda_alias.this[0].name == "live" && aws_lambda_alias.this[0].function_version == "1"
    error_message = "The alias points at the published version."
  }
  assert {
    condition     = aws_lambda_function_url.this[0].qualifier == "live"
    error_message = "The jvm function URL targets the alias."
  }
  assert {
    condition = aws_lambda_function.this.environment[0].variables == tomap({
      AWS_LAMBDA_EXEC_WRAPPER      = "/opt/bootstrap"
      AWS_LWA_INVOKE_MODE          = "buffered"
      AWS_LWA_PASS_THROUGH_PATH    = "/events"
      AWS_LWA_PORT                 = "8080"
      AWS_LWA_READINESS_CHECK_PATH = "/q/health/ready"
      JAVA_TOOL_OPTIONS            = "-XX:+UseSerialGC -Xmx256m"
      QUARKUS_HTTP_PORT            = "8080"
    })
    error_message = "jvm adds AWS_LAMBDA_EXEC_WRAPPER; no SPILLWAY_SECRETS without secrets."
  }
  assert {
    condition     = aws_lambda_function.this.layers == tolist(["arn:aws:lambda:us-east-1:753240598075:layer:LambdaAdapterLayerArm64:26"])
    error_message = "arm64 takes the Arm64 adapter layer; no secrets extension without secrets."
  }
  assert {
    condition     = output.alias_arn == "arn:aws:lambda:us-east-1:123456789012:function:spillway-test:live" && output.target_arn == output.alias_arn
    error_message = "The alias is what invokers target."
  }
  assert {
    condition     = toset(flatten([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Action])) == toset(["logs:CreateLogStream", "logs:PutLogEvents"])
    error_message = "Without secrets, queues or VPC the role only writes its logs."
  }
}

# The drift function on jvm: SQS and the Scheduler target the alias; VPC access; events out.
run "drift_jvm_schedule_vpc" {
  command = apply

  variables {
    function_name   = "spillway-drift"
    package_variant = "jvm"
    sqs_event_source = {
      queue_arn = "arn:aws:sqs:us-east-1:123456789012:spillway-samples"
    }
    schedule = {
      expression = "cron(5 * * * ? *)"
      input      = "{\"specversion\":\"1.0\",\"type\":\"dev.spillway.drift.run-requested\"}"
    }
    vpc_config = {
      subnet_ids         = ["subnet-0123456789abcdef0"]
      security_group_ids = ["sg-0123456789abcdef0"]
    }
    execute_api_arns     = ["arn:aws:execute-api:us-east-1:123456789012:abcdef1234/$default/POST/events/drift"]
    invoke_function_arns = ["arn:aws:lambda:us-east-1:123456789012:function:spillway-embedding:live"]
    kms_key_arns         = ["arn:aws:kms:us-east-1:123456789012:key/0b0c0d0e-1111-2222-3333-444455556666"]
  }

  assert {
    condition     = aws_scheduler_schedule.this[0].target[0].arn == "arn:aws:lambda:us-east-1:123456789012:function:spillway-test:live"
    error_message = "The schedule must invoke the alias."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.scheduler[0].policy).Statement[0].Action == ["lambda:InvokeFunction"] && jsondecode(aws_iam_role_policy.scheduler[0].policy).Statement[0].Resource == ["arn:aws:lambda:us-east-1:123456789012:function:spillway-test:live"]
    error_message = "The scheduler role may invoke the alias only."
  }
  assert {
    condition     = aws_scheduler_schedule.this[0].flexible_time_window[0].mode == "OFF" && aws_scheduler_schedule.this[0].schedule_expression_timezone == "UTC"
    error_message = "Schedule window off, UTC by default."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.sqs[0].function_name == "arn:aws:lambda:us-east-1:123456789012:function:spillway-test:live"
    error_message = "The SQS mapping must target the alias for jvm."
  }
  assert {
    condition     = length(aws_lambda_function.this.vpc_config) == 1 && aws_lambda_function.this.vpc_config[0].subnet_ids == toset(["subnet-0123456789abcdef0"])
    error_message = "VPC config must be passed through."
  }
  assert {
    condition = toset(flatten([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Action])) == toset([
      "logs:CreateLogStream", "logs:PutLogEvents", "kms:Decrypt", "execute-api:Invoke",
      "lambda:InvokeFunctionUrl", "lambda:InvokeFunction",
      "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage",
      "ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
      "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:UnassignPrivateIpAddresses",
    ])
    error_message = "The drift role's actions, exactly."
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Sid if contains(s.Resource, "*")] == ["VpcNetworkInterfaces"]
    error_message = "Only the ENI statement (where AWS requires it) may have resource \"*\"."
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "SendEventsToIngress"][0] == ["arn:aws:execute-api:us-east-1:123456789012:abcdef1234/$default/POST/events/drift"]
    error_message = "execute-api:Invoke only on the given routes."
  }
  assert {
    condition = (
      [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "CallFunctionUrls"][0] == ["arn:aws:lambda:us-east-1:123456789012:function:spillway-embedding:live"] &&
      [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Action if s.Sid == "CallFunctionUrls"][0] == ["lambda:InvokeFunctionUrl"] &&
      !anytrue([for s in jsondecode(aws_iam_role_policy.this.policy).Statement : contains(s.Action, "lambda:InvokeFunction") && s.Sid != "InvokeThroughFunctionUrls"])
    )
    error_message = "lambda:InvokeFunctionUrl only on the embedding alias; lambda:InvokeFunction only in its own statement."
  }
  assert {
    condition = (
      [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "InvokeThroughFunctionUrls"][0] == ["arn:aws:lambda:us-east-1:123456789012:function:spillway-embedding:live"] &&
      [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Condition if s.Sid == "InvokeThroughFunctionUrls"][0] == { Bool = { "lambda:InvokedViaFunctionUrl" = "true" } }
    )
    error_message = "lambda:InvokeFunction (needed by URLs created since October 2025) only on the embedding alias and only via its function URL."
  }
  assert {
    condition     = output.role_policy == aws_iam_role_policy.this.policy
    error_message = "The role_policy output is the role's inline policy."
  }
}

# A key of a JSON secret (the RDS-managed master secret holds {"username","password"}): the role
# reads the bare secret, the application gets ARN#key.
run "json_key_secret_references" {
  command = apply

  variables {
    function_name = "spillway-quota"
    secrets = {
      QUOTA_DB_PASSWORD = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc-XyZ#password"
      QUOTA_DB_USERNAME = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc-XyZ#username"
      OPENAI_API_KEY    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/openai-api-key-AbCdEf"
    }
  }

  assert {
    condition = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s.Resource if s.Sid == "ReadOwnSecrets"][0] == [
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc-XyZ",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/openai-api-key-AbCdEf",
    ]
    error_message = "secretsmanager:GetSecretValue must be on the bare secret ARNs (no #key), each once."
  }
  assert {
    condition = jsondecode(aws_lambda_function.this.environment[0].variables["SPILLWAY_SECRETS"]) == {
      QUOTA_DB_PASSWORD = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc-XyZ#password"
      QUOTA_DB_USERNAME = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc-XyZ#username"
      OPENAI_API_KEY    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/openai-api-key-AbCdEf"
    }
    error_message = "SPILLWAY_SECRETS keeps the #key suffixes."
  }
}

run "rejects_key_suffix_on_ssm_parameter" {
  command = plan
  variables {
    function_name = "spillway-gateway"
    secrets = {
      GATEWAY_QUOTA_SERVICE_KEY = "arn:aws:ssm:us-east-1:123456789012:parameter/spillway/gateway-quota-service-key#x"
    }
  }
  expect_failures = [var.secrets]
}

run "rejects_empty_or_odd_key_suffix" {
  command = plan
  variables {
    function_name = "spillway-gateway"
    secrets = {
      A = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc-XyZ#"
      B = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-abc-XyZ#pass word"
    }
  }
  expect_failures = [var.secrets]
}

run "eventbridge_rule_targets_function" {
  command = apply

  variables {
    function_name       = "spillway-events"
    create_function_url = false
    eventbridge_rule = {
      event_pattern = "{\"source\":[\"spillway\"]}"
    }
  }

  assert {
    condition     = aws_cloudwatch_event_target.this[0].arn == "arn:aws:lambda:us-east-1:123456789012:function:spillway-test" && aws_lambda_permission.eventbridge[0].principal == "events.amazonaws.com"
    error_message = "The rule targets the function and may invoke it."
  }
  assert {
    condition     = aws_lambda_permission.eventbridge[0].source_arn == "arn:aws:events:us-east-1:123456789012:rule/spillway-test"
    error_message = "The permission is limited to the rule."
  }
  assert {
    condition     = length(aws_lambda_function_url.this) == 0 && output.function_url == null
    error_message = "No URL when create_function_url is false."
  }
}

run "secrets_outside_us_east_1_need_the_layer_arn" {
  command = plan

  override_data {
    target = data.aws_region.current
    values = {
      name = "eu-west-1"
    }
  }

  variables {
    function_name = "spillway-gateway"
    secrets = {
      OPENAI_API_KEY = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spillway/openai-api-key-AbCdEf"
    }
  }

  expect_failures = [aws_lambda_function.this]
}

run "secrets_layer_arn_given_outside_us_east_1" {
  command = plan

  override_data {
    target = data.aws_region.current
    values = {
      name = "eu-west-1"
    }
  }

  variables {
    function_name               = "spillway-gateway"
    secrets_extension_layer_arn = "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension:96"
    secrets = {
      OPENAI_API_KEY = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:spillway/openai-api-key-AbCdEf"
    }
  }

  assert {
    condition     = aws_lambda_function.this.layers == tolist(["arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerX86:26", "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension:96"])
    error_message = "The adapter follows the region; the given extension ARN is used."
  }
}

run "rejects_bad_architecture" {
  command = plan
  variables {
    function_name = "spillway-gateway"
    architecture  = "amd64"
  }
  expect_failures = [var.architecture]
}

run "rejects_bad_variant" {
  command = plan
  variables {
    function_name   = "spillway-gateway"
    package_variant = "graal"
  }
  expect_failures = [var.package_variant]
}

run "rejects_secret_values" {
  command = plan
  variables {
    function_name = "spillway-gateway"
    secrets = {
      OPENAI_API_KEY = "sk-not-an-arn"
    }
  }
  expect_failures = [var.secrets]
}

run "rejects_reserved_environment" {
  command = plan
  variables {
    function_name = "spillway-gateway"
    environment = {
      AWS_LWA_PORT = "9000"
    }
  }
  expect_failures = [var.environment]
}

run "rejects_name_in_environment_and_secrets" {
  command = plan
  variables {
    function_name = "spillway-gateway"
    environment = {
      OPENAI_API_KEY = "plain"
    }
    secrets = {
      OPENAI_API_KEY = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/openai-api-key-AbCdEf"
    }
  }
  expect_failures = [var.environment]
}

run "rejects_small_memory_and_long_timeout" {
  command = plan
  variables {
    function_name = "spillway-gateway"
    memory_size   = 64
    timeout       = 901
  }
  expect_failures = [var.memory_size, var.timeout]
}

run "rejects_jvm_with_large_ephemeral_storage" {
  command = plan
  variables {
    function_name          = "spillway-embedding"
    package_variant        = "jvm"
    ephemeral_storage_size = 2048
  }
  expect_failures = [aws_lambda_function.this]
}

run "sensitive_environment_reaches_the_function_not_the_output" {
  command = apply

  variables {
    function_name         = "spillway-quota"
    sensitive_environment = { QUOTA_ADMIN_KEY_HASH = "5d685714910bcc0a652cdb9afae2c5843edb4d7c2b8155ff720272aea3fcd873" }
    invoke_function_arns  = ["arn:aws:lambda:us-east-1:123456789012:function:spillway-embedding:live"]
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["QUOTA_ADMIN_KEY_HASH"] == "5d685714910bcc0a652cdb9afae2c5843edb4d7c2b8155ff720272aea3fcd873"
    error_message = "The sensitive value must reach the function."
  }
  assert {
    condition     = !contains(keys(output.environment), "QUOTA_ADMIN_KEY_HASH")
    error_message = "The environment output leaves sensitive values out."
  }
  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.this.policy).Statement : s if s.Sid == "CallFunctionUrls"][0].Resource == ["arn:aws:lambda:us-east-1:123456789012:function:spillway-embedding:live"]
    error_message = "The role may call exactly the given functions' URLs."
  }
}

run "rejects_large_batch_without_window" {
  command = plan
  variables {
    function_name = "spillway-quota"
    sqs_event_source = {
      queue_arn  = "arn:aws:sqs:us-east-1:123456789012:spillway-usage"
      batch_size = 100
    }
  }
  expect_failures = [var.sqs_event_source]
}
