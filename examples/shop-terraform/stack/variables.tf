variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "create_cache" {
  description = "Whether to create the shop's own cache."
  type        = bool
  default     = true
}

variable "vpc_id" {
  type = string
}

variable "private_subnets" {
  type = list(string)
}
