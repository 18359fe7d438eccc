output "cache_endpoint" {
  description = "Where the applications find the cache."
  value       = local.cache_host
}

output "cache_arn" {
  value = module.cache[0].replication_group_arn
}

output "assets_bucket" {
  value = aws_s3_bucket.assets.bucket
}
