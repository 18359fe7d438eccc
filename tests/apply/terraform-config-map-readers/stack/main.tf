# A ConfigMap holds the cache host; the Deployment reads it whole.
resource "aws_elasticache_cluster" "cache" {
  cluster_id      = "cache"
  engine          = "redis"
  node_type       = "cache.t4g.micro"
  num_cache_nodes = 1
}

resource "kubernetes_config_map_v1" "settings" {
  metadata {
    name = "settings"
  }
  data = {
    REDIS_HOST = aws_elasticache_cluster.cache.cache_nodes[0].address
  }
}

resource "kubernetes_deployment_v1" "web" {
  metadata {
    name = "web"
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
          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.settings.metadata[0].name
            }
          }
        }
      }
    }
  }
}
