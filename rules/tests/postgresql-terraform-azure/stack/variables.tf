variable "prefix" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "database_subnet_id" {
  type = string
}

variable "private_dns_zone_id" {
  type = string
}
