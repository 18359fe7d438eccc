resource "kubernetes_secret_v1" "claims_db" {
  metadata {
    name      = "claims-db"
    namespace = "claims"
  }
  data = {
    password = random_password.claims_db.result
  }
}

resource "kubernetes_deployment_v1" "claims_api" {
  metadata {
    name      = "claims-api"
    namespace = "claims"
  }
  spec {
    selector {
      match_labels = { app = "claims-api" }
    }
    template {
      metadata {
        labels = { app = "claims-api" }
      }
      spec {
        container {
          name  = "api"
          image = "example/claims-api:3.0.4"
          env {
            name  = "DATABASE_URL"
            value = "postgres://${azurerm_postgresql_flexible_server.claims.administrator_login}@${azurerm_postgresql_flexible_server.claims.fqdn}:5432/${azurerm_postgresql_flexible_server_database.claims.name}?sslmode=prefer"
          }
          env {
            name = "PGPASSWORD"
            value_from {
              secret_key_ref {
                name = kubernetes_secret_v1.claims_db.metadata[0].name
                key  = "password"
              }
            }
          }
        }
      }
    }
  }
}
