# Consumers whose metadata is already written: tags as a merge ending in an
# object, a merge of two expressions, an expression, a map; annotations as a
# map, and a one-line metadata block.
locals {
  common_tags = { Team = "shop", CostCenter = "4711" }
}

variable "extra_tags" {
  type    = map(string)
  default = {}
}

resource "aws_elasticache_cluster" "cache" {
  cluster_id      = "cache"
  engine          = "redis"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
}

resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([{
    name  = "app"
    image = "example/app:1.4.2"
    environment = [
      { name = "REDIS_HOST", value = aws_elasticache_cluster.cache.cache_nodes[0].address },
    ]
  }])
  tags = merge(local.common_tags, { Service = "app" })
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "worker.zip"
  environment {
    variables = {
      REDIS_HOST = aws_elasticache_cluster.cache.cache_nodes[0].address
    }
  }
  tags = {
    Team                   = "shop"
    "graft.dev/redis-auth" = "stale"
  }
}

resource "aws_lambda_function" "reports" {
  function_name = "reports"
  role          = "arn:aws:iam::123456789012:role/reports"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "reports.zip"
  environment {
    variables = {
      REDIS_HOST = aws_elasticache_cluster.cache.cache_nodes[0].address
    }
  }
  tags = merge(local.common_tags, var.extra_tags)
}

resource "aws_lambda_function" "audit" {
  function_name = "audit"
  role          = "arn:aws:iam::123456789012:role/audit"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "audit.zip"
  environment {
    variables = {
      REDIS_HOST = aws_elasticache_cluster.cache.cache_nodes[0].address
    }
  }
  tags = local.common_tags
}

resource "kubernetes_deployment_v1" "web" {
  metadata {
    name = "web"
    annotations = {
      "example.com/owner" = "shop"
    }
  }
  spec {
    selector {
      match_labels = { app = "web" }
    }
    template {
      metadata {
        labels = { app = "web" }
      }
      spec {
        container {
          name  = "web"
          image = "example/web:2.0.0"
          env {
            name  = "REDIS_HOST"
            value = aws_elasticache_cluster.cache.cache_nodes[0].address
          }
        }
      }
    }
  }
}

resource "kubernetes_deployment_v1" "jobs" {
  metadata { name = "jobs" }
  spec {
    selector {
      match_labels = { app = "jobs" }
    }
    template {
      metadata {
        labels = { app = "jobs" }
      }
      spec {
        container {
          name  = "jobs"
          image = "example/jobs:2.0.0"
          env {
            name  = "REDIS_HOST"
            value = aws_elasticache_cluster.cache.cache_nodes[0].address
          }
        }
      }
    }
  }
}
