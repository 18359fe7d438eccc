# Two pods in namespace `shop` (one of them with a volume already), one in
# a namespace given by a variable, a manifest in `shop`, and an ECS task,
# all on one Redis.
variable "jobs_namespace" {
  type    = string
  default = "jobs"
}

resource "aws_elasticache_cluster" "cache" {
  cluster_id      = "cache"
  engine          = "redis"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
}

resource "kubernetes_deployment_v1" "web" {
  metadata {
    name      = "web"
    namespace = "shop"
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
          volume_mount {
            name       = "scratch"
            mount_path = "/tmp/scratch"
          }
        }
        volume {
          name = "scratch"
          empty_dir {}
        }
      }
    }
  }
}

resource "kubernetes_deployment_v1" "cart" {
  metadata {
    name      = "cart"
    namespace = "shop"
  }
  spec {
    selector {
      match_labels = { app = "cart" }
    }
    template {
      metadata {
        labels = { app = "cart" }
      }
      spec {
        container {
          name  = "cart"
          image = "example/cart:1.1.0"
          env {
            name  = "REDIS_ADDR"
            value = "${aws_elasticache_cluster.cache.cache_nodes[0].address}:6379"
          }
        }
      }
    }
  }
}

resource "kubernetes_cron_job_v1" "sweeper" {
  metadata {
    name      = "sweeper"
    namespace = var.jobs_namespace
  }
  spec {
    schedule = "*/5 * * * *"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec {
            container {
              name  = "sweeper"
              image = "example/sweeper:0.3.0"
              args  = ["--redis", aws_elasticache_cluster.cache.cache_nodes[0].address]
            }
          }
        }
      }
    }
  }
}

resource "aws_ecs_task_definition" "worker" {
  family = "worker"
  container_definitions = jsonencode([{
    name  = "worker"
    image = "example/worker:1.0.0"
    environment = [
      { name = "REDIS_HOST", value = aws_elasticache_cluster.cache.cache_nodes[0].address },
    ]
  }])
}

resource "kubernetes_manifest" "sessions" {
  manifest = {
    apiVersion = "apps/v1"
    kind       = "Deployment"
    metadata = {
      name      = "sessions"
      namespace = "shop"
    }
    spec = {
      selector = { matchLabels = { app = "sessions" } }
      template = {
        metadata = { labels = { app = "sessions" } }
        spec = {
          containers = [
            {
              name  = "sessions"
              image = "example/sessions:3.2.1"
              env = [
                { name = "REDIS_HOST", value = aws_elasticache_cluster.cache.cache_nodes[0].address },
              ]
            },
          ]
        }
      }
    }
  }
}
