resource "random_password" "claims_db" {
  length  = 32
  special = false
}

resource "azurerm_postgresql_flexible_server" "claims" {
  name                          = "${var.prefix}-claims"
  resource_group_name           = var.resource_group_name
  location                      = var.location
  version                       = "16"
  sku_name                      = "GP_Standard_D2ds_v5"
  storage_mb                    = 65536
  administrator_login           = "claims"
  administrator_password        = random_password.claims_db.result
  backup_retention_days         = 14
  geo_redundant_backup_enabled  = true
  public_network_access_enabled = false
  delegated_subnet_id           = var.database_subnet_id
  private_dns_zone_id           = var.private_dns_zone_id
}

resource "azurerm_postgresql_flexible_server_database" "claims" {
  name      = "claims"
  server_id = azurerm_postgresql_flexible_server.claims.id
  charset   = "UTF8"
  collation = "en_US.utf8"
}

resource "azurerm_postgresql_flexible_server_configuration" "require_tls" {
  name      = "require_secure_transport"
  server_id = azurerm_postgresql_flexible_server.claims.id
  value     = "on"
}
