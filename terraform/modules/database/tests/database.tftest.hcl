mock_provider "aws" {
  mock_resource "aws_db_instance" {
    defaults = {
      address = "spillway.abcdefghijkl.us-east-1.rds.amazonaws.com"
      arn     = "arn:aws:rds:us-east-1:123456789012:db:spillway"
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf"
        kms_key_id    = "arn:aws:kms:us-east-1:123456789012:key/0b0c0d0e-1111-2222-3333-444455556666"
        secret_status = "active"
      }]
    }
  }
  mock_resource "aws_security_group" {
    defaults = {
      id = "sg-0db0db0db0db0db00"
    }
  }
}

variables {
  vpc_id                     = "vpc-0123456789abcdef0"
  subnet_ids                 = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  allowed_security_group_ids = ["sg-0123456789abcdef0"]
}

run "defaults" {
  command = apply

  assert {
    condition     = aws_db_instance.this.engine == "postgres" && aws_db_instance.this.engine_version == "16" && aws_db_parameter_group.this.family == "postgres16"
    error_message = "PostgreSQL 16 with a postgres16 parameter group."
  }
  assert {
    condition     = aws_db_instance.this.manage_master_user_password == true && aws_db_instance.this.password == null
    error_message = "RDS manages the master password; no password is set."
  }
  assert {
    condition     = aws_db_instance.this.storage_encrypted && !aws_db_instance.this.publicly_accessible && aws_db_instance.this.deletion_protection
    error_message = "Encrypted, private, protected from deletion by default."
  }
  assert {
    condition     = aws_db_instance.this.backup_retention_period == 7 && aws_db_instance.this.final_snapshot_identifier == "spillway-final"
    error_message = "Backups kept 7 days, final snapshot on delete."
  }
  assert {
    condition = (
      length(aws_vpc_security_group_ingress_rule.this) == 1 &&
      aws_vpc_security_group_ingress_rule.this[0].from_port == 5432 &&
      aws_vpc_security_group_ingress_rule.this[0].to_port == 5432 &&
      aws_vpc_security_group_ingress_rule.this[0].ip_protocol == "tcp" &&
      aws_vpc_security_group_ingress_rule.this[0].referenced_security_group_id == "sg-0123456789abcdef0" &&
      aws_vpc_security_group_ingress_rule.this[0].cidr_ipv4 == null
    )
    error_message = "Only 5432/tcp from the given security group."
  }
  assert {
    condition     = output.db_url == "postgresql://spillway.abcdefghijkl.us-east-1.rds.amazonaws.com:5432/spillway"
    error_message = "db_url is postgresql://host:port/db."
  }
  assert {
    condition     = output.master_user_secret_arn == "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf"
    error_message = "The managed secret's ARN is an output."
  }
}

run "rejects_other_major_versions" {
  command = plan
  variables {
    engine_version = "15.4"
  }
  expect_failures = [var.engine_version]
}

run "rejects_one_subnet" {
  command = plan
  variables {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }
  expect_failures = [var.subnet_ids]
}

run "rejects_no_backups" {
  command = plan
  variables {
    backup_retention_days = 0
  }
  expect_failures = [var.backup_retention_days]
}
