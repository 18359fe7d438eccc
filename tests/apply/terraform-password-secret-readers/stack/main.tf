# The vendor's token, generated and copied into two Secrets: `redis_auth`
# is read by key only (it goes, its readers rebound to the customer's
# Secret), `redis_env` whole through env_from (it stays, re-pointed), and
# `redis_chart` by nothing here (a chart outside reads it: it stays too).

resource "random_password" "redis" {
  length  = 32
  special = false
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id       = "shop"
  description                = "shop cache"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 1
  transit_encryption_enabled = true
  auth_token                 = random_password.redis.result
}

resource "kubernetes_secret_v1" "redis_auth" {
  metadata {
    name      = "redis-auth"
    namespace = "shop"
  }
  data = {
    password = random_password.redis.result
  }
}

resource "kubernetes_secret_v1" "redis_env" {
  metadata {
    name      = "redis-env"
    namespace = "shop"
  }
  data = {
    REDIS_PASSWORD = random_password.redis.result
  }
}

resource "kubernetes_secret_v1" "redis_chart" {
  metadata {
    name      = "redis-chart"
    namespace = "shop"
  }
  data = {
    redis-password = random_password.redis.result
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
            name  = "REDIS_HOST"
            value = aws_elasticache_replication_group.redis.primary_endpoint_address
          }
          env {
            name = "REDIS_PASSWORD"
            value_from {
              secret_key_ref {
                name = kubernetes_secret_v1.redis_auth.metadata[0].name
                key  = "password"
              }
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_deployment_v1" "reports" {
  metadata {
    name      = "reports"
    namespace = "shop"
  }
  spec {
    selector {
      match_labels = { app = "reports" }
    }
    template {
      metadata {
        labels = { app = "reports" }
      }
      spec {
        container {
          name  = "reports"
          image = "example/reports:0.9.0"
          env {
            name = "CACHE_PASS"
            value_from {
              secret_key_ref {
                name = kubernetes_secret_v1.redis_auth.metadata[0].name
                key  = "password"
              }
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_deployment_v1" "sessions" {
  metadata {
    name      = "sessions"
    namespace = "shop"
  }
  spec {
    selector {
      match_labels = { app = "sessions" }
    }
    template {
      metadata {
        labels = { app = "sessions" }
      }
      spec {
        container {
          name  = "sessions"
          image = "example/sessions:2.0.0"
          env {
            name  = "REDIS_HOST"
            value = aws_elasticache_replication_group.redis.primary_endpoint_address
          }
          env_from {
            secret_ref {
              name = kubernetes_secret_v1.redis_env.metadata[0].name
            }
          }
        }
      }
    }
  }
}
