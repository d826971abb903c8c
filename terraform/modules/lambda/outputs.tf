output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "Unqualified ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "alias_arn" {
  description = "ARN of the alias invokers target (jvm variant); null for native."
  value       = one(aws_lambda_alias.this[*].arn)
}

output "target_arn" {
  description = "What invokers target: the alias ARN for jvm, the function ARN for native."
  value       = local.target_arn
}

output "invoke_arn" {
  description = "Invoke ARN for API Gateway integrations (the alias's for jvm)."
  value       = local.jvm ? aws_lambda_alias.this[0].invoke_arn : aws_lambda_function.this.invoke_arn
}

output "function_url" {
  description = "HTTPS URL of the function URL (ends with '/'); null when create_function_url is false."
  value       = one(aws_lambda_function_url.this[*].function_url)
}

output "function_url_authorization_type" {
  description = "Auth type of the function URL (AWS_IAM or NONE); null when create_function_url is false."
  value       = one(aws_lambda_function_url.this[*].authorization_type)
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.this.name
}

output "role_policy" {
  description = "The role's inline policy (JSON): what the function may do."
  value       = aws_iam_role_policy.this.policy
}

output "log_group_name" {
  description = "Name of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "log_group_arn" {
  description = "ARN of the function's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.arn
}

output "environment" {
  description = "The function's whole environment (no secret values: secrets are ARNs inside SPILLWAY_SECRETS)."
  value       = local.environment
}

output "layers" {
  description = "Layer ARNs attached to the function, in order."
  value       = local.layers
}
