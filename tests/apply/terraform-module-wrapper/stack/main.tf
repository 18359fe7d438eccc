terraform {
  required_version = ">= 1.5"
}

variable "create_cache" {
  type    = bool
  default = true
}

# The cache, from the team's module.
module "cache" {
  source = "./modules/cache"
  count  = var.create_cache ? 1 : 0

  name       = "shop"
  subnet_ids = ["subnet-1", "subnet-2"]
}

locals {
  # Three hops to the app: module output, this local, the app's variable.
  cache_host = module.cache[0].primary_endpoint_address
}

module "app" {
  source     = "./modules/app"
  name       = "shop"
  redis_host = local.cache_host
  redis_url  = "rediss://${module.cache[0].primary_endpoint_address}:${module.cache[0].port}/0"
}

output "cache_endpoint" {
  description = "Where the cache answers."
  value       = module.cache[0].primary_endpoint_address
}

output "cache_address" {
  value = module.cache[0].endpoint
}

output "cache_url" {
  value = module.cache[0].url
}
