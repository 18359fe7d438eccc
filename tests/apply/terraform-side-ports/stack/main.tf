# An exporter's metrics read at the cache's address on another port: the
# customer's Redis serves no such port, so it is refused, not rewired to
# the data port.
resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "shop"
  description          = "cache"
  node_type            = "cache.t4g.micro"
  port                 = 6379
}

resource "aws_ecs_task_definition" "app" {
  family = "app"
  container_definitions = jsonencode([
    {
      name  = "app"
      image = "ghcr.io/acme/app:1"
      environment = [
        { name = "REDIS_ADDR", value = "${aws_elasticache_replication_group.cache.primary_endpoint_address}:6379" },
        { name = "METRICS_URL", value = "http://${aws_elasticache_replication_group.cache.primary_endpoint_address}:9121/metrics" },
      ]
    }
  ])
}

# Azure's TLS port is worked out by the provider (`ssl_port`, 6380 beside
# `port`): any port written after its host is taken as a data port.
resource "azurerm_redis_cache" "az" {
  name                = "shop"
  location            = "westeurope"
  resource_group_name = "shop"
  capacity            = 1
  family              = "C"
  sku_name            = "Standard"
}

resource "azurerm_linux_web_app" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "shop"
  service_plan_id     = "plan"
  app_settings = {
    REDIS_ADDR = "${azurerm_redis_cache.az.hostname}:6380"
  }
  site_config {}
}
