variable "name" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "engine" {
  type    = string
  default = "redis"
}

resource "random_password" "auth" {
  length  = 32
  special = false
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.name
  description                = "${var.name} cache"
  engine                     = var.engine
  node_type                  = "cache.t4g.small"
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  transit_encryption_enabled = true
  auth_token                 = random_password.auth.result
}

output "primary_endpoint_address" {
  value = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "port" {
  value = aws_elasticache_replication_group.this.port
}

output "auth_token" {
  value     = random_password.auth.result
  sensitive = true
}

output "endpoint" {
  value = "${aws_elasticache_replication_group.this.primary_endpoint_address}:${aws_elasticache_replication_group.this.port}"
}

output "url" {
  value = "rediss://${aws_elasticache_replication_group.this.primary_endpoint_address}:${aws_elasticache_replication_group.this.port}/0"
}
