# Sessions: ElastiCache for Valkey, cluster mode on.

