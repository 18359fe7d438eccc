terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

locals {
  name = "shop"
  tags = {
    Project = "shop"
  }
}

# The session and cart cache, from the registry's community module.
module "cache" {
  source  = "terraform-aws-modules/elasticache/aws"
  version = "~> 1.2"
  count   = var.create_cache ? 1 : 0

  replication_group_id       = "${local.name}-cache"
  engine_version             = "7.1"
  node_type                  = "cache.t4g.small"
  transit_encryption_enabled = true
  auth_token                 = random_password.cache.result
  vpc_id                     = var.vpc_id
  subnet_ids                 = var.private_subnets
  tags                       = local.tags
}

resource "random_password" "cache" {
  length  = 32
  special = false
}

locals {
  # Where the applications find the cache.
  cache_host = module.cache[0].replication_group_primary_endpoint_address
}
