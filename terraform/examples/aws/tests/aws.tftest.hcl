# The whole AWS example against a mock provider: wiring, not AWS behaviour.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "us-east-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/spillway-x" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/spillway-x" }
  }
  mock_resource "aws_lambda_function" {
    defaults = {
      arn     = "arn:aws:lambda:us-east-1:123456789012:function:spillway-x"
      version = "1"
    }
  }
  mock_resource "aws_lambda_alias" {
    defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:function:spillway-x:live" }
  }
  mock_resource "aws_lambda_function_url" {
    defaults = { function_url = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/" }
  }
  mock_resource "aws_sqs_queue" {
    defaults = {
      arn = "arn:aws:sqs:us-east-1:123456789012:spillway-x"
      url = "https://sqs.us-east-1.amazonaws.com/123456789012/spillway-x"
    }
  }
  mock_resource "aws_apigatewayv2_api" {
    defaults = {
      api_endpoint  = "https://abcdef1234.execute-api.us-east-1.amazonaws.com"
      execution_arn = "arn:aws:execute-api:us-east-1:123456789012:abcdef1234"
    }
  }
  mock_resource "aws_security_group" {
    defaults = { id = "sg-0123456789abcdef0" }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      address  = "spillway.abcdefghijkl.us-east-1.rds.amazonaws.com"
      port     = 5432
      db_name  = "spillway"
      username = "spillway"
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf"
        kms_key_id    = "arn:aws:kms:us-east-1:123456789012:key/0b0c0d0e-1111-2222-3333-444455556666"
        secret_status = "active"
      }]
    }
  }
}

variables {
  package_dir                          = "../../modules/lambda/tests/fixtures/packages"
  vpc_id                               = "vpc-0123456789abcdef0"
  private_subnet_ids                   = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  openai_api_key_secret_arn            = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/openai-api-key-AbCdEf"
  anthropic_api_key_secret_arn         = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/anthropic-api-key-AbCdEf"
  gateway_quota_service_key_secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/gateway-quota-service-key-AbCdEf"
  drift_quota_service_key_secret_arn   = "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/drift-quota-service-key-AbCdEf"
  quota_admin_key_hash                 = "5d685714910bcc0a652cdb9afae2c5843edb4d7c2b8155ff720272aea3fcd873"
  quota_service_key_hash               = "2243b71a2a2402a4394cc991f3b1a723bb7117572bfc6bda7def1534ae656881"
  drift_admin_key_hash                 = "5d685714910bcc0a652cdb9afae2c5843edb4d7c2b8155ff720272aea3fcd873"
}

run "composition" {
  command = apply

  assert {
    condition     = aws_apigatewayv2_route.events["usage"].route_key == "POST /events/usage" && aws_apigatewayv2_route.events["samples"].route_key == "POST /events/samples"
    error_message = "The ingress routes are POST /events/usage and POST /events/samples."
  }
  assert {
    condition     = alltrue([for k, r in aws_apigatewayv2_route.events : r.authorization_type == "AWS_IAM"])
    error_message = "Every ingress route requires SigV4 (AWS_IAM)."
  }
  assert {
    condition = alltrue([
      for k, i in aws_apigatewayv2_integration.events :
      i.integration_type == "AWS_PROXY" && i.integration_subtype == "SQS-SendMessage" &&
      i.request_parameters["MessageBody"] == "$request.body" &&
      i.request_parameters["QueueUrl"] == "https://sqs.us-east-1.amazonaws.com/123456789012/spillway-x" &&
      i.credentials_arn == "arn:aws:iam::123456789012:role/spillway-x"
    ])
    error_message = "Integrations send the body to SQS with the ingress role."
  }
  assert {
    condition     = jsondecode(aws_iam_role_policy.events_ingress.policy).Statement[0].Action == ["sqs:SendMessage"]
    error_message = "The ingress role may only send messages."
  }
  assert {
    condition = (
      output.function_environments.gateway["K_SINK"] == "https://abcdef1234.execute-api.us-east-1.amazonaws.com/events/usage" &&
      output.function_environments.gateway["GATEWAY_DRIFT_SINK"] == "https://abcdef1234.execute-api.us-east-1.amazonaws.com/events/samples" &&
      output.function_environments.gateway["GATEWAY_QUOTA_URL"] == "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws" &&
      output.function_environments.gateway["AWS_LWA_INVOKE_MODE"] == "response_stream"
    )
    error_message = "The gateway sends usage and samples to the ingress routes and streams."
  }
  assert {
    condition     = jsondecode(output.function_environments.gateway["SPILLWAY_SECRETS"]) == { ANTHROPIC_API_KEY = var.anthropic_api_key_secret_arn, GATEWAY_QUOTA_SERVICE_KEY = var.gateway_quota_service_key_secret_arn, OPENAI_API_KEY = var.openai_api_key_secret_arn }
    error_message = "The gateway's secrets are ARNs in SPILLWAY_SECRETS."
  }
  assert {
    condition = (
      jsondecode(output.function_environments.quota["SPILLWAY_SECRETS"]).QUOTA_DB_PASSWORD == "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf#password" &&
      output.function_environments.quota["QUOTA_DB_URL"] == "postgresql://spillway.abcdefghijkl.us-east-1.rds.amazonaws.com:5432/spillway" &&
      !contains(keys(output.function_environments.quota), "QUOTA_ADMIN_KEY_HASH")
    )
    error_message = "quota reads the RDS-managed secret and the RDS URL; the key hashes stay out of the outputs."
  }
  assert {
    condition = (
      output.function_environments.drift["DRIFT_SCHEDULE_EVERY"] == "off" &&
      output.function_environments.drift["K_SINK"] == "https://abcdef1234.execute-api.us-east-1.amazonaws.com/events/drift" &&
      output.function_environments.drift["DRIFT_EMBEDDING_URL"] == "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws"
    )
    error_message = "drift: external schedule, events to the ingress, embedding by URL."
  }
  assert {
    condition     = output.function_environments.embedding["AWS_LAMBDA_EXEC_WRAPPER"] == "/opt/bootstrap" && startswith(output.function_environments.embedding["JAVA_TOOL_OPTIONS"], "-XX:+UseSerialGC")
    error_message = "embedding runs the JVM variant with its jvm.options."
  }
  assert {
    condition     = output.embedding_alias_arn == "arn:aws:lambda:us-east-1:123456789012:function:spillway-x:live"
    error_message = "embedding (jvm) has its alias."
  }
  assert {
    condition     = output.function_layers.embedding == ["arn:aws:lambda:us-east-1:753240598075:layer:LambdaAdapterLayerX86:26"] && length(output.function_layers.quota) == 2
    error_message = "Layers: the adapter everywhere, the secrets extension where there are secrets."
  }
  assert {
    condition     = jsondecode(aws_sqs_queue.usage.redrive_policy).maxReceiveCount == 5 && jsondecode(aws_sqs_queue.samples.redrive_policy).deadLetterTargetArn == "arn:aws:sqs:us-east-1:123456789012:spillway-x"
    error_message = "The consumed queues redrive to their DLQs."
  }
}

# Who may call whom, as the applications authenticate (see locals.url_authorization_type).
run "authentication_between_functions" {
  command = apply

  assert {
    condition     = output.function_url_authorization_types == { gateway = "NONE", quota = "NONE", embedding = "AWS_IAM", drift = "NONE" }
    error_message = "URL auth: embedding AWS_IAM (drift signs with SigV4); gateway, quota and drift NONE (keys in Authorization: Bearer)."
  }
  assert {
    condition = (
      [for st in jsondecode(module.gateway.role_policy).Statement : st.Resource if st.Sid == "SendEventsToIngress"][0] == [
        "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/$default/POST/events/samples",
        "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/$default/POST/events/usage",
      ] &&
      !anytrue([for st in jsondecode(module.gateway.role_policy).Statement : anytrue([for a in st.Action : startswith(a, "lambda:")])])
    )
    error_message = "The gateway may POST to /events/usage and /events/samples only, and invokes no function (quota takes its service key)."
  }
  assert {
    condition = (
      [for st in jsondecode(module.drift.role_policy).Statement : st.Resource if st.Sid == "SendEventsToIngress"][0] == [
        "arn:aws:execute-api:us-east-1:123456789012:abcdef1234/$default/POST/events/drift",
      ] &&
      [for st in jsondecode(module.drift.role_policy).Statement : st.Resource if st.Sid == "CallFunctionUrls"][0] == [
        "arn:aws:lambda:us-east-1:123456789012:function:spillway-x:live",
      ] &&
      [for st in jsondecode(module.drift.role_policy).Statement : st.Action if st.Sid == "CallFunctionUrls"][0] == ["lambda:InvokeFunctionUrl"] &&
      [for st in jsondecode(module.drift.role_policy).Statement : st.Resource if st.Sid == "InvokeThroughFunctionUrls"][0] == [
        "arn:aws:lambda:us-east-1:123456789012:function:spillway-x:live",
      ] &&
      [for st in jsondecode(module.drift.role_policy).Statement : st.Condition if st.Sid == "InvokeThroughFunctionUrls"][0] == { Bool = { "lambda:InvokedViaFunctionUrl" = "true" } }
    )
    error_message = "drift may POST to /events/drift only and call the embedding alias's URL only (InvokeFunction only via the URL)."
  }
  assert {
    condition = alltrue([
      for policy in [module.quota.role_policy, module.embedding.role_policy] :
      !anytrue([for st in jsondecode(policy).Statement : anytrue([for a in st.Action : startswith(a, "lambda:") || startswith(a, "execute-api:")])])
    ])
    error_message = "quota and embedding call no function and send no events."
  }
  assert {
    condition = (
      jsondecode(output.function_environments.drift["SPILLWAY_SECRETS"]).DRIFT_DB_PASSWORD == "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf#password" &&
      [for st in jsondecode(module.quota.role_policy).Statement : st.Resource if st.Sid == "ReadOwnSecrets"][0] == [
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf",
      ] &&
      [for st in jsondecode(module.drift.role_policy).Statement : st.Resource if st.Sid == "ReadOwnSecrets"][0] == [
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:spillway/drift-quota-service-key-AbCdEf",
      ]
    )
    error_message = "The DB password is the RDS-managed secret's password key; the roles read the bare secret ARN."
  }
}

run "rejects_a_short_key_hash" {
  command = plan
  variables {
    quota_admin_key_hash = "abc"
  }
  expect_failures = [var.quota_admin_key_hash]
}
