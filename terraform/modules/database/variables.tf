variable "identifier" {
  description = "RDS instance identifier (also names the subnet group, parameter group and security group)."
  type        = string
  default     = "spillway"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,61}[a-z0-9]$", var.identifier)) && !strcontains(var.identifier, "--")
    error_message = "identifier must start with a letter, hold lower-case letters, digits and single hyphens, and be at most 63 characters."
  }
}

variable "vpc_id" {
  description = "VPC of the database's security group."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC id (vpc-...)."
  }
}

variable "subnet_ids" {
  description = "Private subnets (at least two, in different availability zones) of the DB subnet group."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids needs at least two subnet ids (subnet-...)."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups (the functions' Lambda security group) allowed to connect on the database port; nothing else is."
  type        = list(string)

  validation {
    condition     = alltrue([for id in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]+$", id))])
    error_message = "allowed_security_group_ids must be security group ids (sg-...)."
  }
}

variable "engine_version" {
  description = "PostgreSQL engine version: \"16\" (the latest 16.x minor) or a full minor such as \"16.4\". pgvector needs 15.2+; 16 is the design's version."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^16(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be 16 or 16.<minor>: the parameter group family is postgres16."
  }
}

variable "instance_class" {
  description = "Instance class. db.t4g.micro is the cheapest that runs Spillway's load; db.t4g.small for headroom."
  type        = string
  default     = "db.t4g.micro"

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must be an RDS instance class (db.*)."
  }
}

variable "allocated_storage" {
  description = "Initial storage in GiB (gp3, 20-65536)."
  type        = number
  default     = 20

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536
    error_message = "allocated_storage must be 20-65536 GiB."
  }
}

variable "max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB (0 = no autoscaling; otherwise at least allocated_storage)."
  type        = number
  default     = 100

  validation {
    condition     = var.max_allocated_storage == 0 || var.max_allocated_storage >= var.allocated_storage
    error_message = "max_allocated_storage must be 0 or at least allocated_storage."
  }
}

variable "database_name" {
  description = "Name of the database the functions use."
  type        = string
  default     = "spillway"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a lower-case identifier of at most 63 characters."
  }
}

variable "master_username" {
  description = "Master user name. Its password is generated and kept by RDS in Secrets Manager (manage_master_user_password); it is never a variable."
  type        = string
  default     = "spillway"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["postgres", "rdsadmin", "admin"], var.master_username)
    error_message = "master_username must be a lower-case identifier of at most 16 characters and not a reserved name."
  }
}

variable "port" {
  description = "Database port."
  type        = number
  default     = 5432

  validation {
    condition     = var.port >= 1150 && var.port <= 65535
    error_message = "port must be 1150-65535."
  }
}

variable "multi_az" {
  description = "Whether to run a standby in another availability zone (doubles the instance cost)."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Refuse to delete the instance until this is switched off."
  type        = bool
  default     = true
}

variable "skip_final_snapshot" {
  description = "Delete without a final snapshot (for throw-away environments only)."
  type        = bool
  default     = false
}

variable "backup_retention_days" {
  description = "Days of automated backups (point-in-time recovery), 1-35."
  type        = number
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be 1-35 (0 would switch backups off)."
  }
}

variable "backup_window" {
  description = "Daily backup window (UTC, hh24:mi-hh24:mi)."
  type        = string
  default     = "03:00-03:30"

  validation {
    condition     = can(regex("^[0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]$", var.backup_window))
    error_message = "backup_window must look like 03:00-03:30."
  }
}

variable "maintenance_window" {
  description = "Weekly maintenance window (UTC, ddd:hh24:mi-ddd:hh24:mi), outside the backup window."
  type        = string
  default     = "sun:04:00-sun:05:00"

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):[0-2][0-9]:[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must look like sun:04:00-sun:05:00."
  }
}

variable "kms_key_id" {
  description = "KMS key ARN for storage encryption (null = the AWS-managed aws/rds key). Storage is always encrypted."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_id == null ? true : can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_id))
    error_message = "kms_key_id must be a KMS key ARN."
  }
}

variable "parameters" {
  description = "PostgreSQL parameters of the parameter group (name = value). Defaults force TLS and log slow statements."
  type        = map(string)
  default = {
    "rds.force_ssl"              = "1"
    "log_min_duration_statement" = "500"
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
