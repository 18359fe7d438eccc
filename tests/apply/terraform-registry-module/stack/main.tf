variable "create_cache" {
  type    = bool
  default = true
}

variable "vpc_id" {
  type = string
}

variable "private_subnets" {
  type = list(string)
}

# The session cache, from the registry.
module "elasticache" {
  source  = "terraform-aws-modules/elasticache/aws"
  version = "~> 1.2"
  count   = var.create_cache ? 1 : 0

  replication_group_id       = "shop-sessions"
  engine_version             = "7.1"
  node_type                  = "cache.t4g.small"
  transit_encryption_enabled = true
  auth_token                 = random_password.cache.result
  vpc_id                     = var.vpc_id
  subnet_ids                 = var.private_subnets
}

resource "random_password" "cache" {
  length  = 32
  special = false
}

resource "aws_ecs_task_definition" "api" {
  family = "api"
  container_definitions = jsonencode([
    {
      name  = "api"
      image = "ghcr.io/example/api:3.2.1"
      environment = [
        { name = "SESSION_URL", value = "rediss://:${random_password.cache.result}@${module.elasticache[0].replication_group_primary_endpoint_address}:${module.elasticache[0].replication_group_port}" },
        { name = "LOG_LEVEL", value = "info" },
      ]
    },
    {
      name  = "log-router"
      image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
    },
  ])
}

output "sessions_arn" {
  value = module.elasticache[0].replication_group_arn
}
