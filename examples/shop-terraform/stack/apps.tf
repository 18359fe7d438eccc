resource "aws_ecs_cluster" "shop" {
  name = local.name
  tags = local.tags
}

resource "aws_ecs_task_definition" "cart" {
  family                   = "cart"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([
    {
      name  = "cart"
      image = "ghcr.io/example/shop-cart:2.4.1"
      environment = [
        { name = "CART_TTL_SECONDS", value = "86400" },
        { name = "REDIS_URL", value = "rediss://:${random_password.cache.result}@${local.cache_host}:6379/0" },
      ]
    },
  ])
  tags = local.tags
}

resource "aws_ecs_service" "cart" {
  name            = "cart"
  cluster         = aws_ecs_cluster.shop.id
  task_definition = aws_ecs_task_definition.cart.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  network_configuration {
    subnets = var.private_subnets
  }
}

# Expires abandoned carts every night.
module "sweeper" {
  source     = "./modules/worker"
  name       = "cart-sweeper"
  redis_host = local.cache_host
}

resource "aws_s3_bucket" "assets" {
  bucket = "${local.name}-assets"
  tags   = local.tags
}
