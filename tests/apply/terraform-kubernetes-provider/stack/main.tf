resource "google_redis_instance" "cache" {
  name           = "shop-cache"
  memory_size_gb = 1
  tier           = "BASIC"
}

resource "kubernetes_deployment_v1" "cart" {
  metadata {
    name      = "cart"
    namespace = "shop"
  }

  spec {
    replicas = 2

    selector {
      match_labels = {
        app = "cart"
      }
    }

    template {
      metadata {
        labels = {
          app = "cart"
        }
      }

      spec {
        container {
          name  = "cart"
          image = "ghcr.io/example/cart:2.1.0"

          env {
            name  = "REDIS_HOST"
            value = google_redis_instance.cache.host
          }

          env {
            name  = "REDIS_PORT"
            value = tostring(google_redis_instance.cache.port)
          }

          env {
            name  = "REDIS_TLS"
            value = "false"
          }
        }
      }
    }
  }
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
              image = "ghcr.io/example/sessions:1.0.3"
              env = [
                { name = "SESSION_STORE", value = "redis://${google_redis_instance.cache.host}:${google_redis_instance.cache.port}" },
              ]
            },
          ]
        }
      }
    }
  }
}
