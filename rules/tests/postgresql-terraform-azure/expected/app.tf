resource "kubernetes_deployment_v1" "claims_api" {
  metadata {
    name      = "claims-api"
    namespace = "claims"
    annotations = {
      "graft.dev/postgresql-auth" = "kubernetes:claims-db-customer/password"
    }
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
            value = "postgresql://claims_api@claims-prod.postgres.database.azure.com:5432/claims?sslmode=require"
          }
          env {
            name = "PGPASSWORD"
            value_from {
              secret_key_ref {
                name = "claims-db-customer"
                key  = "password"
              }
            }
          }
          env {
            name = "PGHOST"
            value = "claims-prod.postgres.database.azure.com"
          }
          env {
            name = "PGPORT"
            value = "5432"
          }
          env {
            name = "PGDATABASE"
            value = "claims"
          }
          env {
            name = "PGUSER"
            value = "claims_api"
          }
          env {
            name = "PGSSLMODE"
            value = "require"
          }
        }
      }
    }
  }
}
