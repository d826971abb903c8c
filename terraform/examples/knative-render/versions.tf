terraform {
  # No providers: `terraform apply` only computes the YAML (state holds no cloud resources).
  required_version = ">= 1.9.0"
}
