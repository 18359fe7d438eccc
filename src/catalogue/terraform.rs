//! The Terraform resource types graft knows: the managed caches and databases
//! of AWS, Google Cloud and Azure that a customer may replace with their own, the
//! workloads that consume them (ECS, Lambda, Kubernetes and Helm resources), and
//! the supporting resources that only exist for the service's sake (subnet and
//! parameter groups, users, security group rules, alarms, secrets).
//!
//! Attribute paths follow the provider schema; a nested block is an `Object`
//! and a repeatable block a `List`, whose element fields are listed under the
//! block's name (`cache_nodes.address` is the address of any cache node).
use super::{AttrType::*, Attribute, Format, ResourceType, TypeKind, attr, out};

/// The attributes that hold a managed cache's password, by resource type:
/// what a consumer of the origin's credential reads, and (for arguments)
/// where the origin's own password goes in.
pub const CREDENTIALS: &[(&str, &str)] = &[
    ("aws_elasticache_replication_group", "auth_token"),
    ("google_redis_instance", "auth_string"),
    ("azurerm_redis_cache", "primary_access_key"),
    ("azurerm_redis_cache", "secondary_access_key"),
    ("rediscloud_subscription_database", "password"),
    ("aws_db_instance", "password"),
    ("aws_rds_cluster", "master_password"),
    ("google_sql_database_instance", "root_password"),
    (
        "azurerm_postgresql_flexible_server",
        "administrator_password",
    ),
];

/// Whether `attribute` of a `kind` resource is its password.
pub fn is_credential(kind: &str, attribute: &str) -> bool {
    CREDENTIALS.contains(&(kind, attribute))
}

/// The tags of an AWS resource (`tags`, and the computed `tags_all`), shared by
/// every AWS type below that takes tags.
const AWS_TAGS: &[Attribute] = &[
    attr("tags", Map, "resource tags"),
    out(
        "tags_all",
        Map,
        "tags including those inherited from the provider's default_tags",
    ),
];

/// The engine version and node type of an ElastiCache cluster, shared by
/// `aws_elasticache_replication_group` and `aws_elasticache_cluster`.
const ELASTICACHE_VERSION: &[Attribute] = &[
    attr("engine_version", String, "the engine version"),
    attr("node_type", String, "the cache node instance type"),
];

/// The port, parameter group, subnet group and security groups of ElastiCache
/// nodes, shared by `aws_elasticache_replication_group` and
/// `aws_elasticache_cluster`.
const ELASTICACHE_NETWORK: &[Attribute] = &[
    attr("port", Int, "the port the nodes accept connections on"),
    attr(
        "parameter_group_name",
        String,
        "the name of the cache parameter group",
    ),
    attr(
        "subnet_group_name",
        String,
        "the name of the cache subnet group",
    ),
    attr("security_group_ids", List, "the VPC security group ids"),
];

/// The automatic snapshot retention and window, shared by
/// `aws_elasticache_replication_group`, `aws_elasticache_cluster` and
/// `aws_memorydb_cluster`.
const SNAPSHOT_SCHEDULE: &[Attribute] = &[
    attr(
        "snapshot_retention_limit",
        Int,
        "how many days automatic snapshots are kept, 0 to disable them",
    ),
    attr(
        "snapshot_window",
        String,
        "the daily time range for automatic snapshots",
    ),
];

/// The snapshots a new cluster is seeded from, shared by
/// `aws_elasticache_cluster` and `aws_memorydb_cluster`.
const SNAPSHOT_RESTORE: &[Attribute] = &[
    attr(
        "snapshot_name",
        String,
        "a snapshot to restore into the new cluster",
    ),
    attr(
        "snapshot_arns",
        List,
        "the RDB files in S3 that seed the new cluster with",
    ),
];

/// The maintenance window and notification topic of an ElastiCache cluster,
/// shared by `aws_elasticache_replication_group` and `aws_elasticache_cluster`.
const ELASTICACHE_MAINTENANCE: &[Attribute] = &[
    attr(
        "maintenance_window",
        String,
        "the weekly maintenance window",
    ),
    attr(
        "notification_topic_arn",
        String,
        "the SNS topic for notifications",
    ),
];

/// When changes and minor engine upgrades are applied, shared by
/// `aws_elasticache_replication_group`, `aws_elasticache_cluster`,
/// `aws_db_instance` and `aws_rds_cluster_instance`.
const APPLY_AND_UPGRADE: &[Attribute] = &[
    attr(
        "apply_immediately",
        Bool,
        "whether changes are applied at once rather than in the maintenance window",
    ),
    attr(
        "auto_minor_version_upgrade",
        Bool,
        "whether minor engine upgrades are applied automatically",
    ),
];

/// The IP version, network type and log delivery of ElastiCache nodes, shared
/// by `aws_elasticache_replication_group` and `aws_elasticache_cluster`.
const ELASTICACHE_IP_AND_LOGS: &[Attribute] = &[
    attr(
        "ip_discovery",
        String,
        "the IP version nodes advertise, `ipv4` or `ipv6`",
    ),
    attr(
        "network_type",
        String,
        "the network type, `ipv4`, `ipv6` or `dual_stack`",
    ),
    attr(
        "log_delivery_configuration",
        List,
        "slow log and engine log delivery settings",
    ),
];

/// The computed id and ARN of a cluster, shared by `aws_elasticache_cluster`
/// and `aws_rds_cluster`.
const CLUSTER_ID_ARN: &[Attribute] = &[
    out("id", String, "the cluster identifier"),
    out("arn", String, "the cluster's ARN"),
];

/// The labels, project and computed resource id of a Google instance, shared by
/// `google_redis_instance` and `google_memorystore_instance`.
const GOOGLE_LABELS_PROJECT: &[Attribute] = &[
    attr("labels", Map, "resource labels"),
    attr("project", String, "the project id"),
    out("id", String, "the instance's resource id"),
];

/// The resource group and region of an Azure resource, shared by
/// `azurerm_redis_cache`, `azurerm_redis_enterprise_cluster` and
/// `azurerm_postgresql_flexible_server`.
const AZURE_PLACEMENT: &[Attribute] = &[
    attr("resource_group_name", String, "the resource group"),
    attr("location", String, "the Azure region"),
];

/// The computed access keys of an Azure Redis endpoint, shared by
/// `azurerm_redis_cache` and `azurerm_redis_enterprise_database`.
const AZURE_ACCESS_KEYS: &[Attribute] = &[
    out(
        "primary_access_key",
        String,
        "the primary access key (sensitive)",
    ),
    out(
        "secondary_access_key",
        String,
        "the secondary access key (sensitive)",
    ),
];

/// The identifier of an RDS instance, shared by `aws_db_instance` and
/// `aws_rds_cluster_instance`.
const RDS_INSTANCE_IDENTIFIER: &[Attribute] = &[
    attr("identifier", String, "the instance identifier"),
    attr(
        "identifier_prefix",
        String,
        "a prefix for a generated identifier",
    ),
];

/// The storage encryption of an RDS database, shared by `aws_db_instance` and
/// `aws_rds_cluster`.
const RDS_STORAGE_ENCRYPTION: &[Attribute] = &[
    attr("storage_encrypted", Bool, "whether storage is encrypted"),
    attr("kms_key_id", String, "the KMS key for storage encryption"),
];

/// The managed master password, port and subnet group of an RDS database,
/// shared by `aws_db_instance` and `aws_rds_cluster`.
const RDS_CONNECTION: &[Attribute] = &[
    attr(
        "manage_master_user_password",
        Bool,
        "whether RDS keeps the master password in Secrets Manager",
    ),
    attr("port", Int, "the port the database accepts connections on"),
    attr(
        "db_subnet_group_name",
        String,
        "the name of the DB subnet group",
    ),
];

/// The Performance Insights and enhanced monitoring of an RDS instance, shared
/// by `aws_db_instance` and `aws_rds_cluster_instance`.
const RDS_MONITORING: &[Attribute] = &[
    attr(
        "performance_insights_enabled",
        Bool,
        "whether Performance Insights is enabled",
    ),
    attr(
        "monitoring_interval",
        Int,
        "the enhanced monitoring interval in seconds",
    ),
];

/// The computed master password secret and running engine version of an RDS
/// database, shared by `aws_db_instance` and `aws_rds_cluster`.
const RDS_MASTER_USER_SECRET: &[Attribute] = &[
    out(
        "master_user_secret",
        List,
        "the Secrets Manager secret holding the master password",
    ),
    out(
        "master_user_secret.secret_arn",
        String,
        "the ARN of that secret",
    ),
    out(
        "engine_version_actual",
        String,
        "the running engine version",
    ),
];

/// The object metadata block of a `kubernetes_*` resource, shared by
/// `kubernetes_deployment`, `kubernetes_deployment_v1`,
/// `kubernetes_stateful_set`, `kubernetes_stateful_set_v1`,
/// `kubernetes_daemonset`, `kubernetes_job`, `kubernetes_cron_job_v1`,
/// `kubernetes_pod`, `kubernetes_secret`, `kubernetes_secret_v1`,
/// `kubernetes_config_map`, `kubernetes_service` and `kubernetes_service_v1`.
const K8S_METADATA: &[Attribute] = &[
    attr("metadata", Object, "standard object metadata"),
    attr("metadata.name", String, "the object's name"),
    attr("metadata.namespace", String, "the object's namespace"),
    attr("metadata.labels", Map, "the object's labels"),
    attr("metadata.annotations", Map, "the object's annotations"),
];

/// The spec block of a workload with a pod template, and the image derived from
/// it, shared by `kubernetes_deployment`, `kubernetes_deployment_v1`,
/// `kubernetes_stateful_set`, `kubernetes_stateful_set_v1`,
/// `kubernetes_daemonset` and `kubernetes_job`.
const K8S_TEMPLATE_SPEC: &[Attribute] = &[
    attr("spec", Object, "the workload spec block"),
    attr(
        "image",
        String,
        "the image of any container in the pod template (derived)",
    ),
];

/// The data of a Kubernetes secret, shared by `kubernetes_secret` and
/// `kubernetes_secret_v1`.
const K8S_SECRET_DATA: &[Attribute] = &[
    attr("data", Map, "the secret's data, keyed by name (sensitive)"),
    attr(
        "binary_data",
        Map,
        "base64-encoded binary data, keyed by name",
    ),
    attr(
        "type",
        String,
        "the secret type, such as `Opaque` or `kubernetes.io/tls`",
    ),
    attr("immutable", Bool, "whether the data cannot be updated"),
];

/// The spec block and status of a Kubernetes Service, shared by
/// `kubernetes_service` and `kubernetes_service_v1`.
const K8S_SERVICE_SPEC: &[Attribute] = &[
    attr("spec", Object, "the service spec block"),
    attr("spec.selector", Map, "the pod labels the service routes to"),
    attr("spec.port", List, "the ports the service exposes"),
    attr("spec.port.name", String, "the name of a port"),
    attr("spec.port.port", Int, "the port the service listens on"),
    attr(
        "spec.port.target_port",
        String,
        "the pod port, by number or name",
    ),
    attr(
        "spec.port.protocol",
        String,
        "the port's protocol, `TCP` by default",
    ),
    attr(
        "spec.type",
        String,
        "the service type, such as `ClusterIP` or `ExternalName`",
    ),
    attr(
        "spec.cluster_ip",
        String,
        "the cluster IP, or `None` for a headless service",
    ),
    attr(
        "spec.external_name",
        String,
        "the DNS name an `ExternalName` service aliases",
    ),
    attr(
        "wait_for_load_balancer",
        Bool,
        "whether to wait for a load balancer to be provisioned",
    ),
    out(
        "status",
        List,
        "the observed status, including load balancer ingress",
    ),
];

/// The name of a subnet group, shared by `aws_memorydb_subnet_group` and
/// `aws_db_subnet_group`.
const SUBNET_GROUP_NAME: &[Attribute] = &[
    attr("name", String, "the subnet group name"),
    attr("name_prefix", String, "a prefix for a generated name"),
];

/// The description and subnets of a subnet group, shared by
/// `aws_elasticache_subnet_group`, `aws_memorydb_subnet_group` and
/// `aws_db_subnet_group`.
const SUBNET_GROUP: &[Attribute] = &[
    attr("description", String, "the subnet group description"),
    attr("subnet_ids", List, "the VPC subnet ids"),
];

/// The computed ARN and VPC of a subnet group, shared by
/// `aws_elasticache_subnet_group`, `aws_memorydb_subnet_group` and
/// `aws_db_subnet_group`.
const SUBNET_GROUP_OUTPUTS: &[Attribute] = &[
    out("arn", String, "the subnet group's ARN"),
    out("vpc_id", String, "the VPC the subnets belong to"),
];

/// The name of a parameter group, shared by `aws_elasticache_parameter_group`,
/// `aws_memorydb_parameter_group`, `aws_db_parameter_group` and
/// `aws_rds_cluster_parameter_group`.
const PARAMETER_GROUP_NAME: &[Attribute] = &[
    attr("name", String, "the parameter group name"),
    attr("name_prefix", String, "a prefix for a generated name"),
];

/// The description and parameters of a parameter group, shared by
/// `aws_elasticache_parameter_group`, `aws_memorydb_parameter_group`,
/// `aws_db_parameter_group` and `aws_rds_cluster_parameter_group`.
const PARAMETER_GROUP: &[Attribute] = &[
    attr("description", String, "the parameter group description"),
    attr("parameter", List, "the parameters to set"),
    attr("parameter.name", String, "the name of a parameter"),
    attr("parameter.value", String, "the value of a parameter"),
];

/// The computed ARN and id of a parameter group, shared by
/// `aws_elasticache_parameter_group`, `aws_memorydb_parameter_group`,
/// `aws_db_parameter_group` and `aws_rds_cluster_parameter_group`.
const PARAMETER_GROUP_OUTPUTS: &[Attribute] = &[
    out("arn", String, "the parameter group's ARN"),
    out("id", String, "the parameter group name"),
];

/// The security group and protocol of a VPC security group rule, shared by
/// `aws_vpc_security_group_ingress_rule` and
/// `aws_vpc_security_group_egress_rule`.
const SG_RULE_PROTOCOL: &[Attribute] = &[
    attr(
        "security_group_id",
        String,
        "the security group the rule belongs to",
    ),
    attr("ip_protocol", String, "the protocol, or `-1` for all"),
];

/// The port range of a security group rule, shared by
/// `aws_vpc_security_group_ingress_rule`, `aws_vpc_security_group_egress_rule`
/// and `aws_security_group_rule`.
const PORT_RANGE: &[Attribute] = &[
    attr("from_port", Int, "the start of the port range"),
    attr("to_port", Int, "the end of the port range"),
];

/// The computed ARN and id of a VPC security group rule, shared by
/// `aws_vpc_security_group_ingress_rule` and
/// `aws_vpc_security_group_egress_rule`.
const SG_RULE_OUTPUTS: &[Attribute] = &[
    out("arn", String, "the rule's ARN"),
    out("security_group_rule_id", String, "the rule's id"),
];

/// The Terraform resource types graft knows.
pub(super) static TYPES: &[ResourceType] = &[
    ResourceType {
        format: Format::Terraform,
        name: "module",
        kind: TypeKind::Service,
        doc: "a module call, for a module that provides the service as a whole (a registry module graft cannot look inside): match it by its `source`; its arguments are `inputs.NAME` and its outputs `outputs.NAME`",
        attributes: &[&[
            attr(
                "source",
                String,
                "where the module comes from: a registry address, a git or HTTP URL, or a local path",
            ),
            attr(
                "version",
                String,
                "the version constraint of a registry module",
            ),
            attr("inputs", Map, "the module's arguments, by name"),
            out("outputs", Map, "the module's outputs, by name"),
        ]],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_elasticache_replication_group",
        kind: TypeKind::Service,
        doc: "an ElastiCache replication group of Redis OSS or Valkey, cluster mode on or off",
        attributes: &[
            &[
                attr(
                    "replication_group_id",
                    String,
                    "the replication group identifier",
                ),
                attr("description", String, "the replication group description"),
                attr(
                    "replication_group_description",
                    String,
                    "the description, as named by provider versions before 5.0",
                ),
                attr("engine", String, "the cache engine, `redis` or `valkey`"),
            ],
            ELASTICACHE_VERSION,
            &[
                attr(
                    "num_cache_clusters",
                    Int,
                    "the number of nodes (primary and replicas) when cluster mode is off",
                ),
                attr(
                    "num_node_groups",
                    Int,
                    "the number of shards when cluster mode is on",
                ),
                attr(
                    "replicas_per_node_group",
                    Int,
                    "the number of replicas in each shard",
                ),
                attr(
                    "cluster_mode",
                    String,
                    "the cluster mode, `enabled`, `disabled` or `compatible`",
                ),
            ],
            ELASTICACHE_NETWORK,
            &[
                attr(
                    "security_group_names",
                    List,
                    "the cache security group names (EC2-Classic)",
                ),
                attr(
                    "preferred_cache_cluster_azs",
                    List,
                    "the availability zones to place nodes in",
                ),
                attr(
                    "automatic_failover_enabled",
                    Bool,
                    "whether a replica is promoted when the primary fails",
                ),
                attr("multi_az_enabled", Bool, "whether Multi-AZ is enabled"),
                attr(
                    "at_rest_encryption_enabled",
                    Bool,
                    "whether data is encrypted at rest",
                ),
                attr("kms_key_id", String, "the KMS key for encryption at rest"),
                attr("transit_encryption_enabled", Bool, "whether TLS is enabled"),
                attr(
                    "transit_encryption_mode",
                    String,
                    "the TLS mode while migrating, `preferred` or `required`",
                ),
                attr("auth_token", String, "the AUTH password (sensitive)"),
                attr(
                    "auth_token_update_strategy",
                    String,
                    "how a changed auth token is applied: `SET`, `ROTATE` or `DELETE`",
                ),
                attr(
                    "user_group_ids",
                    List,
                    "the user groups for RBAC access control",
                ),
            ],
            SNAPSHOT_SCHEDULE,
            &[
                attr(
                    "snapshot_name",
                    String,
                    "a snapshot to restore into the new group",
                ),
                attr(
                    "snapshot_arns",
                    List,
                    "the RDB files in S3 that seed the new group with",
                ),
                attr(
                    "final_snapshot_identifier",
                    String,
                    "the name of the snapshot taken when the group is deleted",
                ),
            ],
            ELASTICACHE_MAINTENANCE,
            APPLY_AND_UPGRADE,
            &[
                attr(
                    "data_tiering_enabled",
                    Bool,
                    "whether data tiering to SSD is enabled (r6gd nodes)",
                ),
                attr(
                    "global_replication_group_id",
                    String,
                    "the global datastore this group is a secondary of",
                ),
            ],
            ELASTICACHE_IP_AND_LOGS,
            AWS_TAGS,
            &[
                out("id", String, "the replication group identifier"),
                out("arn", String, "the replication group's ARN"),
                out(
                    "primary_endpoint_address",
                    String,
                    "the primary endpoint address when cluster mode is off",
                ),
                out(
                    "reader_endpoint_address",
                    String,
                    "the reader endpoint address when cluster mode is off",
                ),
                out(
                    "configuration_endpoint_address",
                    String,
                    "the configuration endpoint address when cluster mode is on",
                ),
                out(
                    "member_clusters",
                    List,
                    "the ids of the member cache clusters",
                ),
                out(
                    "engine_version_actual",
                    String,
                    "the running engine version",
                ),
                out("cluster_enabled", Bool, "whether cluster mode is enabled"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_elasticache_cluster",
        kind: TypeKind::Service,
        doc: "an ElastiCache cache cluster: Memcached, or a single Redis OSS or Valkey node",
        attributes: &[
            &[
                attr("cluster_id", String, "the cluster identifier"),
                attr(
                    "engine",
                    String,
                    "the cache engine, `memcached`, `redis` or `valkey`",
                ),
            ],
            ELASTICACHE_VERSION,
            &[attr("num_cache_nodes", Int, "the number of cache nodes")],
            ELASTICACHE_NETWORK,
            &[
                attr(
                    "replication_group_id",
                    String,
                    "the replication group this cluster joins as a replica",
                ),
                attr(
                    "az_mode",
                    String,
                    "whether Memcached nodes span zones, `single-az` or `cross-az`",
                ),
                attr(
                    "availability_zone",
                    String,
                    "the availability zone of a single-node cluster",
                ),
                attr(
                    "preferred_availability_zones",
                    List,
                    "the availability zones of the nodes",
                ),
                attr("transit_encryption_enabled", Bool, "whether TLS is enabled"),
            ],
            SNAPSHOT_SCHEDULE,
            SNAPSHOT_RESTORE,
            &[attr(
                "final_snapshot_identifier",
                String,
                "the name of the snapshot taken when the cluster is deleted",
            )],
            ELASTICACHE_MAINTENANCE,
            APPLY_AND_UPGRADE,
            ELASTICACHE_IP_AND_LOGS,
            AWS_TAGS,
            CLUSTER_ID_ARN,
            &[
                out("cache_nodes", List, "the cache nodes"),
                out("cache_nodes.id", String, "the id of a cache node"),
                out(
                    "cache_nodes.address",
                    String,
                    "the DNS name of a cache node",
                ),
                out("cache_nodes.port", Int, "the port of a cache node"),
                out(
                    "cache_nodes.availability_zone",
                    String,
                    "the availability zone of a cache node",
                ),
                out(
                    "cluster_address",
                    String,
                    "the DNS name of the cluster without the port (memcached)",
                ),
                out(
                    "configuration_endpoint",
                    String,
                    "the configuration endpoint as `host:port` (memcached)",
                ),
                out(
                    "engine_version_actual",
                    String,
                    "the running engine version",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_elasticache_serverless_cache",
        kind: TypeKind::Service,
        doc: "an ElastiCache Serverless cache running Redis OSS, Valkey or Memcached",
        attributes: &[
            &[
                attr("name", String, "the serverless cache name"),
                attr(
                    "engine",
                    String,
                    "the cache engine, `redis`, `valkey` or `memcached`",
                ),
                attr("major_engine_version", String, "the major engine version"),
                attr("description", String, "the cache description"),
                attr("cache_usage_limits", Object, "the storage and ECPU limits"),
                attr(
                    "cache_usage_limits.data_storage",
                    Object,
                    "the data storage limits",
                ),
                attr(
                    "cache_usage_limits.data_storage.maximum",
                    Int,
                    "the maximum data storage",
                ),
                attr(
                    "cache_usage_limits.data_storage.minimum",
                    Int,
                    "the minimum data storage",
                ),
                attr(
                    "cache_usage_limits.data_storage.unit",
                    String,
                    "the unit of the storage limits, `GB`",
                ),
                attr(
                    "cache_usage_limits.ecpu_per_second",
                    Object,
                    "the ECPU rate limits",
                ),
                attr(
                    "cache_usage_limits.ecpu_per_second.maximum",
                    Int,
                    "the maximum ECPUs per second",
                ),
                attr(
                    "cache_usage_limits.ecpu_per_second.minimum",
                    Int,
                    "the minimum ECPUs per second",
                ),
                attr(
                    "subnet_ids",
                    List,
                    "the subnets the VPC endpoint is placed in",
                ),
                attr("security_group_ids", List, "the VPC security group ids"),
                attr(
                    "user_group_id",
                    String,
                    "the user group for RBAC access control",
                ),
                attr("kms_key_id", String, "the KMS key for encryption at rest"),
                attr(
                    "daily_snapshot_time",
                    String,
                    "the daily time automatic snapshots are taken",
                ),
                attr(
                    "snapshot_retention_limit",
                    Int,
                    "how many automatic snapshots are kept",
                ),
                attr(
                    "snapshot_arns_to_restore",
                    List,
                    "snapshots to restore into the new cache",
                ),
            ],
            AWS_TAGS,
            &[
                out("id", String, "the serverless cache name"),
                out("arn", String, "the serverless cache's ARN"),
                out("endpoint", List, "the endpoint clients connect to"),
                out("endpoint.address", String, "the DNS name of the endpoint"),
                out("endpoint.port", Int, "the port of the endpoint"),
                out("reader_endpoint", List, "the reader endpoint"),
                out(
                    "reader_endpoint.address",
                    String,
                    "the DNS name of the reader endpoint",
                ),
                out(
                    "reader_endpoint.port",
                    Int,
                    "the port of the reader endpoint",
                ),
                out("full_engine_version", String, "the full engine version"),
                out("status", String, "the cache status"),
                out("create_time", String, "when the cache was created"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_elasticache_global_replication_group",
        kind: TypeKind::Service,
        doc: "an ElastiCache global datastore: a replication group replicated to other regions",
        attributes: &[&[
            attr(
                "global_replication_group_id_suffix",
                String,
                "the suffix of the global datastore name",
            ),
            attr(
                "primary_replication_group_id",
                String,
                "the replication group that accepts writes",
            ),
            attr(
                "global_replication_group_description",
                String,
                "the global datastore description",
            ),
            attr(
                "engine_version",
                String,
                "the engine version of all member groups",
            ),
            attr(
                "parameter_group_name",
                String,
                "the parameter group used for a major version upgrade",
            ),
            attr(
                "automatic_failover_enabled",
                Bool,
                "whether a replica is promoted when a primary fails",
            ),
            attr(
                "cache_node_type",
                String,
                "the cache node instance type of the members",
            ),
            attr("num_node_groups", Int, "the number of shards"),
            out("id", String, "the global replication group id"),
            out("arn", String, "the global datastore's ARN"),
            out(
                "global_replication_group_id",
                String,
                "the full global replication group id",
            ),
            out("engine", String, "the cache engine of the members"),
            out(
                "engine_version_actual",
                String,
                "the running engine version",
            ),
            out(
                "at_rest_encryption_enabled",
                Bool,
                "whether data is encrypted at rest",
            ),
            out("transit_encryption_enabled", Bool, "whether TLS is enabled"),
            out(
                "auth_token_enabled",
                Bool,
                "whether an AUTH password is required",
            ),
            out("cluster_enabled", Bool, "whether cluster mode is enabled"),
            out(
                "global_node_groups",
                List,
                "the shards of the global datastore",
            ),
        ]],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_memorydb_cluster",
        kind: TypeKind::Service,
        doc: "a MemoryDB cluster: a durable Redis OSS or Valkey cluster",
        attributes: &[
            &[
                attr("name", String, "the cluster name"),
                attr(
                    "name_prefix",
                    String,
                    "a prefix for a generated cluster name",
                ),
                attr("description", String, "the cluster description"),
                attr("engine", String, "the engine, `redis` or `valkey`"),
                attr("engine_version", String, "the engine version"),
                attr("node_type", String, "the node instance type"),
                attr("num_shards", Int, "the number of shards"),
                attr(
                    "num_replicas_per_shard",
                    Int,
                    "the number of replicas in each shard",
                ),
                attr("port", Int, "the port the nodes accept connections on"),
                attr(
                    "acl_name",
                    String,
                    "the access control list, `open-access` for none",
                ),
                attr(
                    "subnet_group_name",
                    String,
                    "the name of the MemoryDB subnet group",
                ),
                attr("security_group_ids", List, "the VPC security group ids"),
                attr(
                    "parameter_group_name",
                    String,
                    "the name of the MemoryDB parameter group",
                ),
                attr("tls_enabled", Bool, "whether TLS is enabled"),
                attr("kms_key_arn", String, "the KMS key for encryption at rest"),
                attr(
                    "data_tiering",
                    Bool,
                    "whether data tiering to SSD is enabled",
                ),
            ],
            SNAPSHOT_SCHEDULE,
            SNAPSHOT_RESTORE,
            &[
                attr(
                    "final_snapshot_name",
                    String,
                    "the name of the snapshot taken when the cluster is deleted",
                ),
                attr(
                    "maintenance_window",
                    String,
                    "the weekly maintenance window",
                ),
                attr("sns_topic_arn", String, "the SNS topic for notifications"),
                attr(
                    "auto_minor_version_upgrade",
                    Bool,
                    "whether minor engine upgrades are applied automatically",
                ),
            ],
            AWS_TAGS,
            &[
                out("id", String, "the cluster name"),
                out("arn", String, "the cluster's ARN"),
                out(
                    "cluster_endpoint",
                    Object,
                    "the cluster configuration endpoint",
                ),
                out(
                    "cluster_endpoint.address",
                    String,
                    "the DNS name of the cluster endpoint",
                ),
                out(
                    "cluster_endpoint.port",
                    Int,
                    "the port of the cluster endpoint",
                ),
                out(
                    "engine_patch_version",
                    String,
                    "the running engine patch version",
                ),
                out("shards", List, "the shards and their nodes"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "google_redis_instance",
        kind: TypeKind::Service,
        doc: "a Memorystore for Redis instance",
        attributes: &[
            &[
                attr("name", String, "the instance id"),
                attr("display_name", String, "a human-readable name"),
                attr("tier", String, "the service tier, `BASIC` or `STANDARD_HA`"),
                attr("memory_size_gb", Int, "the memory size in GiB"),
                attr(
                    "redis_version",
                    String,
                    "the Redis version, such as `REDIS_7_2`",
                ),
                attr("region", String, "the region"),
                attr("location_id", String, "the zone of the primary"),
                attr(
                    "alternative_location_id",
                    String,
                    "the zone of the replica for `STANDARD_HA`",
                ),
                attr(
                    "authorized_network",
                    String,
                    "the VPC network the instance is reachable from",
                ),
                attr(
                    "connect_mode",
                    String,
                    "`DIRECT_PEERING` or `PRIVATE_SERVICE_ACCESS`",
                ),
                attr(
                    "reserved_ip_range",
                    String,
                    "the IP range the instance is placed in",
                ),
                attr("auth_enabled", Bool, "whether AUTH is required"),
                attr(
                    "transit_encryption_mode",
                    String,
                    "`SERVER_AUTHENTICATION` for TLS, or `DISABLED`",
                ),
                attr("redis_configs", Map, "the Redis configuration parameters"),
                attr("replica_count", Int, "the number of read replicas"),
                attr(
                    "read_replicas_mode",
                    String,
                    "`READ_REPLICAS_ENABLED` or `READ_REPLICAS_DISABLED`",
                ),
                attr("persistence_config", Object, "the persistence settings"),
                attr(
                    "persistence_config.persistence_mode",
                    String,
                    "`RDB` or `DISABLED`",
                ),
                attr(
                    "persistence_config.rdb_snapshot_period",
                    String,
                    "the period between RDB snapshots",
                ),
                attr(
                    "persistence_config.rdb_snapshot_start_time",
                    String,
                    "when the first RDB snapshot is taken",
                ),
                attr(
                    "maintenance_policy",
                    Object,
                    "the maintenance window settings",
                ),
                attr(
                    "customer_managed_key",
                    String,
                    "the KMS key for encryption at rest",
                ),
            ],
            GOOGLE_LABELS_PROJECT,
            &[
                out("host", String, "the IP address of the primary endpoint"),
                out("port", Int, "the port of the primary endpoint"),
                out(
                    "read_endpoint",
                    String,
                    "the IP address of the read endpoint",
                ),
                out("read_endpoint_port", Int, "the port of the read endpoint"),
                out("auth_string", String, "the AUTH string (sensitive)"),
                out("server_ca_certs", List, "the CA certificates for TLS"),
                out(
                    "current_location_id",
                    String,
                    "the zone the primary currently runs in",
                ),
                out(
                    "persistence_iam_identity",
                    String,
                    "the service account used for RDB import and export",
                ),
                out("nodes", List, "the nodes of the instance"),
                out(
                    "effective_labels",
                    Map,
                    "all labels on the resource, including provider defaults",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "google_memorystore_instance",
        kind: TypeKind::Service,
        doc: "a Memorystore for Valkey instance",
        attributes: &[
            &[
                attr("instance_id", String, "the instance id"),
                attr("location", String, "the region"),
                attr("shard_count", Int, "the number of shards"),
                attr("replica_count", Int, "the number of replicas in each shard"),
                attr(
                    "node_type",
                    String,
                    "the node type, such as `SHARED_CORE_NANO` or `HIGHMEM_MEDIUM`",
                ),
                attr(
                    "engine_version",
                    String,
                    "the engine version, such as `VALKEY_8_0`",
                ),
                attr("mode", String, "`CLUSTER` or `CLUSTER_DISABLED`"),
                attr(
                    "authorization_mode",
                    String,
                    "`AUTH_DISABLED` or `IAM_AUTH`",
                ),
                attr(
                    "transit_encryption_mode",
                    String,
                    "`TRANSIT_ENCRYPTION_DISABLED` or `SERVER_AUTHENTICATION`",
                ),
                attr("engine_configs", Map, "engine configuration parameters"),
                attr("persistence_config", Object, "the persistence settings"),
                attr(
                    "persistence_config.mode",
                    String,
                    "`DISABLED`, `RDB` or `AOF`",
                ),
                attr(
                    "persistence_config.rdb_config",
                    Object,
                    "the RDB snapshot settings",
                ),
                attr(
                    "persistence_config.rdb_config.rdb_snapshot_period",
                    String,
                    "the period between RDB snapshots",
                ),
                attr(
                    "persistence_config.rdb_config.rdb_snapshot_start_time",
                    String,
                    "when the first RDB snapshot is taken",
                ),
                attr("persistence_config.aof_config", Object, "the AOF settings"),
                attr(
                    "persistence_config.aof_config.append_fsync",
                    String,
                    "the fsync mode, `NEVER`, `EVERY_SEC` or `ALWAYS`",
                ),
                attr(
                    "automated_backup_config",
                    Object,
                    "the automated backup settings",
                ),
                attr(
                    "automated_backup_config.retention",
                    String,
                    "how long automated backups are kept",
                ),
                attr(
                    "zone_distribution_config",
                    Object,
                    "how nodes are spread over zones",
                ),
                attr(
                    "zone_distribution_config.mode",
                    String,
                    "`MULTI_ZONE` or `SINGLE_ZONE`",
                ),
                attr(
                    "zone_distribution_config.zone",
                    String,
                    "the zone for `SINGLE_ZONE`",
                ),
                attr(
                    "maintenance_policy",
                    Object,
                    "the maintenance window settings",
                ),
                attr(
                    "cross_instance_replication_config",
                    Object,
                    "the cross-instance replication settings",
                ),
                attr(
                    "desired_auto_created_endpoints",
                    List,
                    "the networks to create endpoints in",
                ),
                attr(
                    "desired_auto_created_endpoints.network",
                    String,
                    "a network to create an endpoint in",
                ),
                attr(
                    "desired_auto_created_endpoints.project_id",
                    String,
                    "the project of that network",
                ),
                attr(
                    "desired_psc_auto_connections",
                    List,
                    "the networks to create endpoints in (deprecated)",
                ),
                attr(
                    "deletion_protection_enabled",
                    Bool,
                    "whether deletion is refused",
                ),
                attr("kms_key", String, "the KMS key for encryption at rest"),
            ],
            GOOGLE_LABELS_PROJECT,
            &[
                out("name", String, "the instance's full resource name"),
                out("uid", String, "the instance's unique id"),
                out("state", String, "the instance state"),
                out("endpoints", List, "the endpoint groups, one per network"),
                out(
                    "endpoints.connections",
                    List,
                    "the PSC connections of an endpoint group",
                ),
                out(
                    "endpoints.connections.psc_auto_connection",
                    List,
                    "an automatically created PSC connection",
                ),
                out(
                    "endpoints.connections.psc_auto_connection.ip_address",
                    String,
                    "the IP address of a connection",
                ),
                out(
                    "endpoints.connections.psc_auto_connection.port",
                    Int,
                    "the port of a connection",
                ),
                out(
                    "endpoints.connections.psc_auto_connection.connection_type",
                    String,
                    "the type of a connection, such as `CONNECTION_TYPE_PRIMARY`",
                ),
                out(
                    "endpoints.connections.psc_auto_connection.network",
                    String,
                    "the network of a connection",
                ),
                out(
                    "discovery_endpoints",
                    List,
                    "the discovery endpoints (deprecated)",
                ),
                out(
                    "discovery_endpoints.address",
                    String,
                    "the IP address of a discovery endpoint",
                ),
                out(
                    "discovery_endpoints.port",
                    Int,
                    "the port of a discovery endpoint",
                ),
                out(
                    "psc_auto_connections",
                    List,
                    "the automatically created PSC connections (deprecated)",
                ),
                out(
                    "psc_auto_connections.ip_address",
                    String,
                    "the IP address of a connection",
                ),
                out("psc_auto_connections.port", Int, "the port of a connection"),
                out(
                    "psc_auto_connections.connection_type",
                    String,
                    "the type of a connection",
                ),
                out("node_config", Object, "the node configuration"),
                out(
                    "node_config.size_gb",
                    Int,
                    "the memory size of a node in GB",
                ),
                out(
                    "managed_server_ca",
                    Object,
                    "the CA that signs the server certificates",
                ),
                out(
                    "effective_labels",
                    Map,
                    "all labels on the resource, including provider defaults",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "azurerm_redis_cache",
        kind: TypeKind::Service,
        doc: "an Azure Cache for Redis instance",
        attributes: &[
            &[attr("name", String, "the cache name")],
            AZURE_PLACEMENT,
            &[
                attr(
                    "sku_name",
                    String,
                    "the SKU, `Basic`, `Standard` or `Premium`",
                ),
                attr("family", String, "the SKU family, `C` or `P`"),
                attr("capacity", Int, "the size of the cache within its family"),
                attr("redis_version", String, "the Redis major version"),
                attr(
                    "non_ssl_port_enabled",
                    Bool,
                    "whether the plain port 6379 is open",
                ),
                attr(
                    "enable_non_ssl_port",
                    Bool,
                    "whether the plain port 6379 is open (provider versions before 4.0)",
                ),
                attr("minimum_tls_version", String, "the minimum TLS version"),
                attr(
                    "public_network_access_enabled",
                    Bool,
                    "whether the cache is reachable from public networks",
                ),
                attr(
                    "subnet_id",
                    String,
                    "the subnet a Premium cache is injected into",
                ),
                attr(
                    "private_static_ip_address",
                    String,
                    "the static IP address in that subnet",
                ),
                attr(
                    "shard_count",
                    Int,
                    "the number of shards of a Premium cluster",
                ),
                attr(
                    "replicas_per_master",
                    Int,
                    "the number of replicas per primary",
                ),
                attr(
                    "replicas_per_primary",
                    Int,
                    "the number of replicas per primary",
                ),
                attr("zones", List, "the availability zones"),
                attr(
                    "access_keys_authentication_enabled",
                    Bool,
                    "whether access key authentication is enabled",
                ),
                attr(
                    "redis_configuration",
                    Object,
                    "the Redis configuration block",
                ),
                attr(
                    "redis_configuration.maxmemory_policy",
                    String,
                    "the eviction policy",
                ),
                attr(
                    "redis_configuration.authentication_enabled",
                    Bool,
                    "whether clients must authenticate",
                ),
                attr(
                    "redis_configuration.active_directory_authentication_enabled",
                    Bool,
                    "whether Entra ID authentication is enabled",
                ),
                attr(
                    "redis_configuration.rdb_backup_enabled",
                    Bool,
                    "whether RDB backups are enabled (Premium)",
                ),
                attr(
                    "redis_configuration.rdb_backup_frequency",
                    Int,
                    "the minutes between RDB backups",
                ),
                attr(
                    "redis_configuration.rdb_backup_max_snapshot_count",
                    Int,
                    "how many RDB snapshots are kept",
                ),
                attr(
                    "redis_configuration.rdb_storage_connection_string",
                    String,
                    "the storage account RDB backups go to (sensitive)",
                ),
                attr(
                    "redis_configuration.aof_backup_enabled",
                    Bool,
                    "whether AOF persistence is enabled (Premium)",
                ),
                attr("patch_schedule", List, "the weekly patch windows"),
                attr("identity", Object, "the managed identity"),
                attr("tags", Map, "resource tags"),
                out("id", String, "the cache's resource id"),
                out("hostname", String, "the host name of the cache"),
                out("port", Int, "the plain (non-TLS) port"),
                out("ssl_port", Int, "the TLS port"),
            ],
            AZURE_ACCESS_KEYS,
            &[
                out(
                    "primary_connection_string",
                    String,
                    "the primary connection string (sensitive)",
                ),
                out(
                    "secondary_connection_string",
                    String,
                    "the secondary connection string (sensitive)",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "google_redis_cluster",
        kind: TypeKind::Service,
        doc: "a Memorystore for Redis Cluster instance",
        attributes: &[
            &[
                attr("name", String, "the cluster name"),
                attr("region", String, "the region"),
                attr("shard_count", Int, "the number of shards"),
                attr("replica_count", Int, "the number of replicas in each shard"),
                attr(
                    "node_type",
                    String,
                    "the node type, such as `REDIS_HIGHMEM_MEDIUM`",
                ),
                attr(
                    "authorization_mode",
                    String,
                    "`AUTH_MODE_DISABLED` or `AUTH_MODE_IAM_AUTH`",
                ),
                attr(
                    "transit_encryption_mode",
                    String,
                    "`TRANSIT_ENCRYPTION_MODE_DISABLED` or `TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION`",
                ),
                attr("redis_configs", Map, "Redis configuration parameters"),
                attr(
                    "persistence_config",
                    Object,
                    "RDB or AOF persistence settings",
                ),
                attr("psc_configs", List, "the networks to create endpoints in"),
                attr(
                    "deletion_protection_enabled",
                    Bool,
                    "whether deletion is refused",
                ),
            ],
            GOOGLE_LABELS_PROJECT,
            &[
                out(
                    "discovery_endpoints",
                    List,
                    "the endpoints clients discover the cluster from",
                ),
                out(
                    "discovery_endpoints.address",
                    String,
                    "the address of a discovery endpoint",
                ),
                out(
                    "discovery_endpoints.port",
                    Int,
                    "the port of a discovery endpoint",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "azurerm_managed_redis",
        kind: TypeKind::Service,
        doc: "an Azure Managed Redis instance, the successor of Azure Cache for Redis Enterprise",
        attributes: &[
            &[attr("name", String, "the instance name")],
            AZURE_PLACEMENT,
            &[
                attr("sku_name", String, "the SKU, such as `Balanced_B3`"),
                attr(
                    "high_availability_enabled",
                    Bool,
                    "whether the instance is replicated",
                ),
                attr("default_database", Object, "the instance's database"),
                attr(
                    "default_database.client_protocol",
                    String,
                    "`Encrypted` (TLS) or `Plaintext`",
                ),
                attr(
                    "default_database.clustering_policy",
                    String,
                    "`OSSCluster` or `EnterpriseCluster`",
                ),
                attr(
                    "default_database.eviction_policy",
                    String,
                    "the eviction policy",
                ),
                attr(
                    "default_database.access_keys_authentication_enabled",
                    Bool,
                    "whether access keys (passwords) are accepted",
                ),
                out(
                    "default_database.port",
                    Int,
                    "the port of the database endpoint",
                ),
                out(
                    "default_database.primary_access_key",
                    String,
                    "the primary access key",
                ),
                attr("tags", Map, "resource tags"),
                out("id", String, "the instance's resource id"),
                out("hostname", String, "the DNS name of the instance"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "rediscloud_subscription_database",
        kind: TypeKind::Service,
        doc: "a database in a Redis Cloud (Redis Enterprise Cloud) subscription",
        attributes: &[&[
            attr(
                "subscription_id",
                String,
                "the subscription the database belongs to",
            ),
            attr("name", String, "the database name"),
            attr("dataset_size_in_gb", Int, "the dataset size"),
            attr(
                "memory_limit_in_gb",
                Int,
                "the memory limit (older provider versions)",
            ),
            attr("protocol", String, "`redis` or `memcached`"),
            attr(
                "support_oss_cluster_api",
                Bool,
                "whether the OSS Cluster API is enabled",
            ),
            attr("enable_tls", Bool, "whether clients must use TLS"),
            attr(
                "password",
                String,
                "the password of the default user (sensitive)",
            ),
            attr("replication", Bool, "whether the database is replicated"),
            attr(
                "data_persistence",
                String,
                "the persistence policy, such as `aof-every-1-second`",
            ),
            attr("data_eviction", String, "the eviction policy"),
            attr("modules", List, "the Redis modules enabled"),
            attr("source_ips", List, "the addresses allowed to connect"),
            attr("port", Int, "the port the database listens on"),
            out("db_id", String, "the database id"),
            out(
                "public_endpoint",
                String,
                "the public endpoint, as `host:port`",
            ),
            out(
                "private_endpoint",
                String,
                "the private endpoint, as `host:port`",
            ),
        ]],
    },
    ResourceType {
        format: Format::Terraform,
        name: "azurerm_redis_enterprise_cluster",
        kind: TypeKind::Service,
        doc: "an Azure Cache for Redis Enterprise cluster, which holds one database",
        attributes: &[
            &[attr("name", String, "the cluster name")],
            AZURE_PLACEMENT,
            &[
                attr(
                    "sku_name",
                    String,
                    "the SKU and capacity, such as `Enterprise_E10-2`",
                ),
                attr("minimum_tls_version", String, "the minimum TLS version"),
                attr("zones", List, "the availability zones"),
                attr("tags", Map, "resource tags"),
                out("id", String, "the cluster's resource id"),
                out("hostname", String, "the DNS name of the cluster endpoint"),
                out("version", String, "the Redis version the cluster runs"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "azurerm_redis_enterprise_database",
        kind: TypeKind::Service,
        doc: "the database of an Azure Cache for Redis Enterprise cluster",
        attributes: &[
            &[
                attr("name", String, "the database name, `default`"),
                attr(
                    "cluster_id",
                    String,
                    "the Redis Enterprise cluster the database is in",
                ),
                attr(
                    "client_protocol",
                    String,
                    "`Encrypted` for TLS or `Plaintext`",
                ),
                attr(
                    "clustering_policy",
                    String,
                    "`EnterpriseCluster` or `OSSCluster`",
                ),
                attr(
                    "eviction_policy",
                    String,
                    "the eviction policy, such as `VolatileLRU` or `NoEviction`",
                ),
                attr("port", Int, "the port of the database endpoint"),
                attr("module", List, "the Redis modules to enable"),
                attr(
                    "module.name",
                    String,
                    "the name of a module, such as `RediSearch`",
                ),
                attr("module.args", String, "the arguments of a module"),
                attr(
                    "linked_database_id",
                    List,
                    "the databases to geo-replicate with",
                ),
                attr(
                    "linked_database_group_nickname",
                    String,
                    "the name of the geo-replication group",
                ),
                out("id", String, "the database's resource id"),
            ],
            AZURE_ACCESS_KEYS,
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_db_instance",
        kind: TypeKind::Service,
        doc: "an RDS database instance, such as PostgreSQL or MySQL",
        attributes: &[
            RDS_INSTANCE_IDENTIFIER,
            &[
                attr(
                    "engine",
                    String,
                    "the database engine, such as `postgres` or `mysql`",
                ),
                attr("engine_version", String, "the engine version"),
                attr(
                    "instance_class",
                    String,
                    "the instance class, such as `db.t4g.micro`",
                ),
                attr("allocated_storage", Int, "the allocated storage in GiB"),
                attr(
                    "max_allocated_storage",
                    Int,
                    "the storage autoscaling limit in GiB",
                ),
                attr("storage_type", String, "the storage type, such as `gp3`"),
            ],
            RDS_STORAGE_ENCRYPTION,
            &[
                attr(
                    "db_name",
                    String,
                    "the name of the database created with the instance",
                ),
                attr("username", String, "the master user name"),
                attr("password", String, "the master password (sensitive)"),
            ],
            RDS_CONNECTION,
            &[
                attr(
                    "parameter_group_name",
                    String,
                    "the name of the DB parameter group",
                ),
                attr("option_group_name", String, "the name of the option group"),
                attr("vpc_security_group_ids", List, "the VPC security group ids"),
                attr(
                    "publicly_accessible",
                    Bool,
                    "whether the instance has a public address",
                ),
                attr("multi_az", Bool, "whether a standby runs in another zone"),
                attr("availability_zone", String, "the availability zone"),
                attr(
                    "ca_cert_identifier",
                    String,
                    "the CA certificate of the server",
                ),
                attr(
                    "iam_database_authentication_enabled",
                    Bool,
                    "whether IAM authentication is enabled",
                ),
                attr(
                    "backup_retention_period",
                    Int,
                    "how many days automated backups are kept, 0 to disable them",
                ),
                attr(
                    "backup_window",
                    String,
                    "the daily time range for automated backups",
                ),
                attr(
                    "maintenance_window",
                    String,
                    "the weekly maintenance window",
                ),
                attr(
                    "skip_final_snapshot",
                    Bool,
                    "whether no snapshot is taken when the instance is deleted",
                ),
                attr(
                    "final_snapshot_identifier",
                    String,
                    "the name of the snapshot taken when the instance is deleted",
                ),
                attr(
                    "snapshot_identifier",
                    String,
                    "a snapshot to restore into the new instance",
                ),
                attr(
                    "copy_tags_to_snapshot",
                    Bool,
                    "whether tags are copied to snapshots",
                ),
                attr(
                    "delete_automated_backups",
                    Bool,
                    "whether automated backups are removed with the instance",
                ),
                attr("deletion_protection", Bool, "whether deletion is refused"),
                attr(
                    "replicate_source_db",
                    String,
                    "the instance this is a read replica of",
                ),
            ],
            RDS_MONITORING,
            APPLY_AND_UPGRADE,
            AWS_TAGS,
            &[
                out("id", String, "the instance's resource id"),
                out("arn", String, "the instance's ARN"),
                out("address", String, "the DNS name of the instance"),
                out(
                    "endpoint",
                    String,
                    "the connection endpoint as `address:port`",
                ),
                out(
                    "hosted_zone_id",
                    String,
                    "the Route 53 zone of the endpoint",
                ),
                out("resource_id", String, "the RDS resource id"),
            ],
            RDS_MASTER_USER_SECRET,
            &[out("status", String, "the instance status")],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_rds_cluster",
        kind: TypeKind::Service,
        doc: "an Aurora or Multi-AZ DB cluster",
        attributes: &[
            &[
                attr("cluster_identifier", String, "the cluster identifier"),
                attr(
                    "cluster_identifier_prefix",
                    String,
                    "a prefix for a generated identifier",
                ),
                attr(
                    "engine",
                    String,
                    "the database engine, such as `aurora-postgresql` or `postgres`",
                ),
                attr("engine_version", String, "the engine version"),
                attr(
                    "engine_mode",
                    String,
                    "the engine mode, such as `provisioned` or `serverless`",
                ),
                attr(
                    "database_name",
                    String,
                    "the name of the database created with the cluster",
                ),
                attr("master_username", String, "the master user name"),
                attr("master_password", String, "the master password (sensitive)"),
            ],
            RDS_CONNECTION,
            &[
                attr(
                    "db_cluster_parameter_group_name",
                    String,
                    "the name of the cluster parameter group",
                ),
                attr("vpc_security_group_ids", List, "the VPC security group ids"),
                attr("availability_zones", List, "the availability zones"),
                attr(
                    "db_cluster_instance_class",
                    String,
                    "the instance class of a Multi-AZ DB cluster",
                ),
                attr(
                    "allocated_storage",
                    Int,
                    "the allocated storage in GiB of a Multi-AZ DB cluster",
                ),
                attr("storage_type", String, "the storage type"),
            ],
            RDS_STORAGE_ENCRYPTION,
            &[
                attr(
                    "iam_database_authentication_enabled",
                    Bool,
                    "whether IAM authentication is enabled",
                ),
                attr(
                    "serverlessv2_scaling_configuration",
                    Object,
                    "the Aurora Serverless v2 capacity range",
                ),
                attr(
                    "global_cluster_identifier",
                    String,
                    "the global database this cluster belongs to",
                ),
                attr(
                    "backup_retention_period",
                    Int,
                    "how many days automated backups are kept",
                ),
                attr(
                    "preferred_backup_window",
                    String,
                    "the daily time range for automated backups",
                ),
                attr(
                    "preferred_maintenance_window",
                    String,
                    "the weekly maintenance window",
                ),
                attr(
                    "skip_final_snapshot",
                    Bool,
                    "whether no snapshot is taken when the cluster is deleted",
                ),
                attr(
                    "final_snapshot_identifier",
                    String,
                    "the name of the snapshot taken when the cluster is deleted",
                ),
                attr(
                    "snapshot_identifier",
                    String,
                    "a snapshot to restore into the new cluster",
                ),
                attr(
                    "copy_tags_to_snapshot",
                    Bool,
                    "whether tags are copied to snapshots",
                ),
                attr("deletion_protection", Bool, "whether deletion is refused"),
                attr(
                    "apply_immediately",
                    Bool,
                    "whether changes are applied at once rather than in the maintenance window",
                ),
            ],
            AWS_TAGS,
            CLUSTER_ID_ARN,
            &[
                out("endpoint", String, "the DNS name of the writer endpoint"),
                out(
                    "reader_endpoint",
                    String,
                    "the DNS name of the load-balanced reader endpoint",
                ),
                out(
                    "hosted_zone_id",
                    String,
                    "the Route 53 zone of the endpoints",
                ),
                out("cluster_resource_id", String, "the RDS resource id"),
                out("cluster_members", List, "the instances in the cluster"),
            ],
            RDS_MASTER_USER_SECRET,
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_rds_cluster_instance",
        kind: TypeKind::Service,
        doc: "an instance of an Aurora DB cluster",
        attributes: &[
            RDS_INSTANCE_IDENTIFIER,
            &[
                attr(
                    "cluster_identifier",
                    String,
                    "the cluster the instance belongs to",
                ),
                attr(
                    "engine",
                    String,
                    "the database engine, such as `aurora-postgresql`",
                ),
                attr("engine_version", String, "the engine version"),
                attr(
                    "instance_class",
                    String,
                    "the instance class, such as `db.r6g.large` or `db.serverless`",
                ),
                attr(
                    "db_subnet_group_name",
                    String,
                    "the name of the DB subnet group",
                ),
                attr(
                    "db_parameter_group_name",
                    String,
                    "the name of the DB parameter group",
                ),
                attr(
                    "publicly_accessible",
                    Bool,
                    "whether the instance has a public address",
                ),
                attr("availability_zone", String, "the availability zone"),
                attr("promotion_tier", Int, "the failover priority"),
                attr(
                    "ca_cert_identifier",
                    String,
                    "the CA certificate of the server",
                ),
            ],
            RDS_MONITORING,
            APPLY_AND_UPGRADE,
            AWS_TAGS,
            &[
                out("id", String, "the instance identifier"),
                out("arn", String, "the instance's ARN"),
                out("endpoint", String, "the DNS name of the instance"),
                out("port", Int, "the port of the instance"),
                out("writer", Bool, "whether the instance is the writer"),
                out("dbi_resource_id", String, "the RDS resource id"),
                out("storage_encrypted", Bool, "whether storage is encrypted"),
                out("kms_key_id", String, "the KMS key for storage encryption"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "google_sql_database_instance",
        kind: TypeKind::Service,
        doc: "a Cloud SQL instance (PostgreSQL, MySQL or SQL Server)",
        attributes: &[&[
            attr("name", String, "the instance name"),
            attr(
                "database_version",
                String,
                "the engine and version, such as `POSTGRES_16` or `MYSQL_8_0`",
            ),
            attr("region", String, "the region"),
            attr("project", String, "the project id"),
            attr(
                "root_password",
                String,
                "the initial root password (sensitive)",
            ),
            attr(
                "deletion_protection",
                Bool,
                "whether Terraform refuses to delete the instance",
            ),
            attr(
                "master_instance_name",
                String,
                "the instance this is a replica of",
            ),
            attr(
                "replica_configuration",
                Object,
                "the replication settings of a replica",
            ),
            attr(
                "encryption_key_name",
                String,
                "the KMS key for encryption at rest",
            ),
            attr("settings", Object, "the instance settings"),
            attr(
                "settings.tier",
                String,
                "the machine tier, such as `db-custom-2-7680`",
            ),
            attr(
                "settings.edition",
                String,
                "`ENTERPRISE` or `ENTERPRISE_PLUS`",
            ),
            attr(
                "settings.availability_type",
                String,
                "`ZONAL` or `REGIONAL`",
            ),
            attr("settings.disk_size", Int, "the disk size in GB"),
            attr("settings.disk_type", String, "`PD_SSD` or `PD_HDD`"),
            attr(
                "settings.disk_autoresize",
                Bool,
                "whether the disk grows automatically",
            ),
            attr(
                "settings.deletion_protection_enabled",
                Bool,
                "whether Cloud SQL refuses to delete the instance",
            ),
            attr("settings.user_labels", Map, "resource labels"),
            attr("settings.database_flags", List, "the database flags"),
            attr("settings.database_flags.name", String, "the name of a flag"),
            attr(
                "settings.database_flags.value",
                String,
                "the value of a flag",
            ),
            attr("settings.ip_configuration", Object, "the network settings"),
            attr(
                "settings.ip_configuration.ipv4_enabled",
                Bool,
                "whether the instance has a public IPv4 address",
            ),
            attr(
                "settings.ip_configuration.private_network",
                String,
                "the VPC network for a private IP address",
            ),
            attr(
                "settings.ip_configuration.ssl_mode",
                String,
                "the TLS enforcement mode, such as `ENCRYPTED_ONLY`",
            ),
            attr(
                "settings.ip_configuration.authorized_networks",
                List,
                "the networks allowed to connect to the public address",
            ),
            attr(
                "settings.backup_configuration",
                Object,
                "the backup settings",
            ),
            attr(
                "settings.backup_configuration.enabled",
                Bool,
                "whether automated backups are enabled",
            ),
            attr(
                "settings.backup_configuration.start_time",
                String,
                "when the daily backup starts",
            ),
            attr(
                "settings.backup_configuration.point_in_time_recovery_enabled",
                Bool,
                "whether point-in-time recovery is enabled",
            ),
            attr(
                "settings.backup_configuration.transaction_log_retention_days",
                Int,
                "how many days transaction logs are kept",
            ),
            attr(
                "settings.backup_configuration.backup_retention_settings",
                Object,
                "how many backups are kept",
            ),
            attr(
                "settings.maintenance_window",
                Object,
                "the maintenance window",
            ),
            out("id", String, "the instance's resource id"),
            out(
                "connection_name",
                String,
                "the `project:region:instance` name used by the Cloud SQL connectors",
            ),
            out("private_ip_address", String, "the private IP address"),
            out("public_ip_address", String, "the public IP address"),
            out(
                "first_ip_address",
                String,
                "the first IP address of the instance",
            ),
            out("ip_address", List, "the IP addresses of the instance"),
            out("ip_address.ip_address", String, "an IP address"),
            out(
                "ip_address.type",
                String,
                "the type of an IP address, `PRIMARY`, `PRIVATE` or `OUTGOING`",
            ),
            out("dns_name", String, "the DNS name of the instance"),
            out("self_link", String, "the URI of the instance"),
            out("server_ca_cert", List, "the CA certificate of the server"),
            out(
                "service_account_email_address",
                String,
                "the service account of the instance",
            ),
        ]],
    },
    ResourceType {
        format: Format::Terraform,
        name: "azurerm_postgresql_flexible_server",
        kind: TypeKind::Service,
        doc: "an Azure Database for PostgreSQL flexible server",
        attributes: &[
            &[attr("name", String, "the server name")],
            AZURE_PLACEMENT,
            &[
                attr("version", String, "the PostgreSQL major version"),
                attr("sku_name", String, "the SKU, such as `GP_Standard_D2s_v3`"),
                attr("storage_mb", Int, "the storage size in MB"),
                attr("storage_tier", String, "the storage performance tier"),
                attr(
                    "auto_grow_enabled",
                    Bool,
                    "whether storage grows automatically",
                ),
                attr("administrator_login", String, "the administrator user name"),
                attr(
                    "administrator_password",
                    String,
                    "the administrator password (sensitive)",
                ),
                attr("authentication", Object, "the authentication settings"),
                attr(
                    "authentication.password_auth_enabled",
                    Bool,
                    "whether password authentication is enabled",
                ),
                attr(
                    "authentication.active_directory_auth_enabled",
                    Bool,
                    "whether Entra ID authentication is enabled",
                ),
                attr(
                    "backup_retention_days",
                    Int,
                    "how many days backups are kept",
                ),
                attr(
                    "geo_redundant_backup_enabled",
                    Bool,
                    "whether backups are geo-redundant",
                ),
                attr(
                    "delegated_subnet_id",
                    String,
                    "the subnet the server is injected into",
                ),
                attr(
                    "private_dns_zone_id",
                    String,
                    "the private DNS zone of the server",
                ),
                attr(
                    "public_network_access_enabled",
                    Bool,
                    "whether the server is reachable from public networks",
                ),
                attr("zone", String, "the availability zone"),
                attr(
                    "high_availability",
                    Object,
                    "the high availability settings",
                ),
                attr(
                    "high_availability.mode",
                    String,
                    "`ZoneRedundant` or `SameZone`",
                ),
                attr(
                    "create_mode",
                    String,
                    "how the server is created, such as `Default` or `PointInTimeRestore`",
                ),
                attr(
                    "source_server_id",
                    String,
                    "the server a restore or replica is created from",
                ),
                attr("maintenance_window", Object, "the maintenance window"),
                attr("tags", Map, "resource tags"),
                out("id", String, "the server's resource id"),
                out(
                    "fqdn",
                    String,
                    "the fully qualified domain name of the server",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_ecs_task_definition",
        kind: TypeKind::Workload,
        doc: "an ECS task definition, whose containers may consume a backing service",
        attributes: &[
            &[
                attr("family", String, "the task definition family"),
                attr(
                    "container_definitions",
                    String,
                    "the container definitions, a JSON string",
                ),
                attr(
                    "task_role_arn",
                    String,
                    "the IAM role the containers assume",
                ),
                attr(
                    "execution_role_arn",
                    String,
                    "the IAM role ECS uses to pull images and read secrets",
                ),
                attr("network_mode", String, "the network mode, such as `awsvpc`"),
                attr(
                    "requires_compatibilities",
                    List,
                    "the launch types, such as `FARGATE`",
                ),
                attr("cpu", String, "the task CPU units"),
                attr("memory", String, "the task memory in MiB"),
                attr("volume", List, "the volumes containers can mount"),
                attr("volume.name", String, "the name of a volume"),
                attr(
                    "volume.host_path",
                    String,
                    "the host path of a bind mount volume",
                ),
                attr(
                    "runtime_platform",
                    Object,
                    "the operating system and CPU architecture",
                ),
            ],
            AWS_TAGS,
            &[
                out("arn", String, "the task definition's ARN, with revision"),
                out(
                    "arn_without_revision",
                    String,
                    "the task definition's ARN without the revision",
                ),
                out("revision", Int, "the task definition revision"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_lambda_function",
        kind: TypeKind::Workload,
        doc: "a Lambda function, which may consume a backing service",
        attributes: &[
            &[
                attr("function_name", String, "the function name"),
                attr("role", String, "the IAM role the function assumes"),
                attr("runtime", String, "the runtime, such as `python3.12`"),
                attr("handler", String, "the entry point in the code"),
                attr("package_type", String, "`Zip` or `Image`"),
                attr(
                    "image_uri",
                    String,
                    "the container image of an `Image` function",
                ),
                attr("filename", String, "the local deployment package"),
                attr(
                    "s3_bucket",
                    String,
                    "the S3 bucket of the deployment package",
                ),
                attr("s3_key", String, "the S3 key of the deployment package"),
                attr("environment", Object, "the environment block"),
                attr("environment.variables", Map, "the environment variables"),
                attr("memory_size", Int, "the memory in MB"),
                attr("timeout", Int, "the timeout in seconds"),
                attr("layers", List, "the layer ARNs"),
                attr(
                    "architectures",
                    List,
                    "the instruction set, `x86_64` or `arm64`",
                ),
                attr("vpc_config", Object, "the VPC settings"),
                attr(
                    "vpc_config.subnet_ids",
                    List,
                    "the subnets the function runs in",
                ),
                attr(
                    "vpc_config.security_group_ids",
                    List,
                    "the security groups of the function",
                ),
                attr(
                    "kms_key_arn",
                    String,
                    "the KMS key for the environment variables",
                ),
            ],
            AWS_TAGS,
            &[
                out("arn", String, "the function's ARN"),
                out("invoke_arn", String, "the ARN API Gateway invokes"),
                out("qualified_arn", String, "the ARN with the version"),
                out("version", String, "the latest published version"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_deployment",
        kind: TypeKind::Workload,
        doc: "a Kubernetes Deployment (apps/v1)",
        attributes: &[K8S_METADATA, K8S_TEMPLATE_SPEC],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_deployment_v1",
        kind: TypeKind::Workload,
        doc: "a Kubernetes Deployment (apps/v1)",
        attributes: &[K8S_METADATA, K8S_TEMPLATE_SPEC],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_stateful_set",
        kind: TypeKind::Workload,
        doc: "a Kubernetes StatefulSet (apps/v1)",
        attributes: &[K8S_METADATA, K8S_TEMPLATE_SPEC],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_stateful_set_v1",
        kind: TypeKind::Workload,
        doc: "a Kubernetes StatefulSet (apps/v1)",
        attributes: &[K8S_METADATA, K8S_TEMPLATE_SPEC],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_daemonset",
        kind: TypeKind::Workload,
        doc: "a Kubernetes DaemonSet (apps/v1)",
        attributes: &[K8S_METADATA, K8S_TEMPLATE_SPEC],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_job",
        kind: TypeKind::Workload,
        doc: "a Kubernetes Job (batch/v1)",
        attributes: &[K8S_METADATA, K8S_TEMPLATE_SPEC],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_cron_job_v1",
        kind: TypeKind::Workload,
        doc: "a Kubernetes CronJob (batch/v1)",
        attributes: &[
            K8S_METADATA,
            &[
                attr("spec", Object, "the workload spec block"),
                attr(
                    "image",
                    String,
                    "the image of any container in the job template (derived)",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_pod",
        kind: TypeKind::Workload,
        doc: "a bare Kubernetes Pod",
        attributes: &[
            K8S_METADATA,
            &[
                attr("spec", Object, "the workload spec block"),
                attr(
                    "image",
                    String,
                    "the image of any container in the pod (derived)",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_manifest",
        kind: TypeKind::Workload,
        doc: "any Kubernetes object given as a full manifest",
        attributes: &[&[
            attr("manifest", Map, "the object's manifest, as written"),
            attr(
                "computed_fields",
                List,
                "manifest paths whose values the API server may change",
            ),
            attr(
                "field_manager",
                Object,
                "the server-side apply field manager settings",
            ),
            attr("wait", Object, "the conditions to wait for after apply"),
            out("object", Map, "the object as returned by the API server"),
        ]],
    },
    ResourceType {
        format: Format::Terraform,
        name: "helm_release",
        kind: TypeKind::Workload,
        doc: "a Helm chart release, whose values may configure a backing service",
        attributes: &[&[
            attr("name", String, "the release name"),
            attr("chart", String, "the chart name, path or URL"),
            attr("repository", String, "the chart repository URL"),
            attr("version", String, "the chart version"),
            attr("namespace", String, "the namespace of the release"),
            attr("create_namespace", Bool, "whether the namespace is created"),
            attr("values", List, "the values files, as YAML strings"),
            attr("set", List, "the individual values to set"),
            attr("set.name", String, "the dotted name of a value"),
            attr("set.value", String, "a value"),
            attr(
                "set.type",
                String,
                "how a value is parsed, `auto` or `string`",
            ),
            attr(
                "set_sensitive",
                List,
                "the individual sensitive values to set",
            ),
            attr(
                "set_sensitive.name",
                String,
                "the dotted name of a sensitive value",
            ),
            attr("set_sensitive.value", String, "a sensitive value"),
            attr("atomic", Bool, "whether a failed install is rolled back"),
            attr(
                "wait",
                Bool,
                "whether Terraform waits for the resources to be ready",
            ),
            attr("timeout", Int, "the seconds to wait for an operation"),
            out("status", String, "the release status"),
            out("metadata", Object, "the release metadata"),
            out("metadata.name", String, "the release name"),
            out("metadata.namespace", String, "the release namespace"),
            out("metadata.revision", Int, "the release revision"),
            out("metadata.chart", String, "the chart name"),
            out("metadata.version", String, "the chart version"),
            out(
                "metadata.app_version",
                String,
                "the app version of the chart",
            ),
            out(
                "metadata.values",
                String,
                "the computed values, a JSON string",
            ),
        ]],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_elasticache_subnet_group",
        kind: TypeKind::Supporting,
        doc: "an ElastiCache subnet group",
        attributes: &[
            &[attr("name", String, "the subnet group name")],
            SUBNET_GROUP,
            AWS_TAGS,
            SUBNET_GROUP_OUTPUTS,
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_elasticache_parameter_group",
        kind: TypeKind::Supporting,
        doc: "an ElastiCache parameter group",
        attributes: &[
            PARAMETER_GROUP_NAME,
            &[attr(
                "family",
                String,
                "the parameter group family, such as `redis7` or `valkey8`",
            )],
            PARAMETER_GROUP,
            AWS_TAGS,
            PARAMETER_GROUP_OUTPUTS,
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_elasticache_user",
        kind: TypeKind::Supporting,
        doc: "an ElastiCache RBAC user",
        attributes: &[
            &[
                attr("user_id", String, "the user id"),
                attr("user_name", String, "the user name clients authenticate as"),
                attr("engine", String, "the engine, `redis` or `valkey`"),
                attr(
                    "access_string",
                    String,
                    "the access string granting commands and keys",
                ),
                attr("passwords", List, "the user's passwords (sensitive)"),
                attr(
                    "no_password_required",
                    Bool,
                    "whether the user needs no password",
                ),
                attr("authentication_mode", Object, "the authentication settings"),
                attr(
                    "authentication_mode.type",
                    String,
                    "`password`, `no-password-required` or `iam`",
                ),
                attr(
                    "authentication_mode.passwords",
                    List,
                    "the user's passwords (sensitive)",
                ),
            ],
            AWS_TAGS,
            &[out("arn", String, "the user's ARN")],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_elasticache_user_group",
        kind: TypeKind::Supporting,
        doc: "an ElastiCache RBAC user group",
        attributes: &[
            &[
                attr("user_group_id", String, "the user group id"),
                attr("engine", String, "the engine, `redis` or `valkey`"),
                attr("user_ids", List, "the users in the group"),
            ],
            AWS_TAGS,
            &[out("arn", String, "the user group's ARN")],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_memorydb_subnet_group",
        kind: TypeKind::Supporting,
        doc: "a MemoryDB subnet group",
        attributes: &[
            SUBNET_GROUP_NAME,
            SUBNET_GROUP,
            AWS_TAGS,
            SUBNET_GROUP_OUTPUTS,
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_memorydb_parameter_group",
        kind: TypeKind::Supporting,
        doc: "a MemoryDB parameter group",
        attributes: &[
            PARAMETER_GROUP_NAME,
            &[attr(
                "family",
                String,
                "the parameter group family, such as `memorydb_redis7`",
            )],
            PARAMETER_GROUP,
            AWS_TAGS,
            PARAMETER_GROUP_OUTPUTS,
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_memorydb_acl",
        kind: TypeKind::Supporting,
        doc: "a MemoryDB access control list",
        attributes: &[
            &[
                attr("name", String, "the ACL name"),
                attr("name_prefix", String, "a prefix for a generated name"),
                attr("user_names", List, "the users in the ACL"),
            ],
            AWS_TAGS,
            &[
                out("arn", String, "the ACL's ARN"),
                out(
                    "minimum_engine_version",
                    String,
                    "the minimum engine version the ACL supports",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_memorydb_user",
        kind: TypeKind::Supporting,
        doc: "a MemoryDB user",
        attributes: &[
            &[
                attr("user_name", String, "the user name clients authenticate as"),
                attr(
                    "access_string",
                    String,
                    "the access string granting commands and keys",
                ),
                attr("authentication_mode", Object, "the authentication settings"),
                attr("authentication_mode.type", String, "`password` or `iam`"),
                attr(
                    "authentication_mode.passwords",
                    List,
                    "the user's passwords (sensitive)",
                ),
            ],
            AWS_TAGS,
            &[
                out("arn", String, "the user's ARN"),
                out(
                    "minimum_engine_version",
                    String,
                    "the minimum engine version the user supports",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_security_group",
        kind: TypeKind::Supporting,
        doc: "a VPC security group",
        attributes: &[
            &[
                attr("name", String, "the security group name"),
                attr("name_prefix", String, "a prefix for a generated name"),
                attr("description", String, "the security group description"),
                attr("vpc_id", String, "the VPC of the security group"),
                attr(
                    "revoke_rules_on_delete",
                    Bool,
                    "whether rules are revoked before deletion",
                ),
                attr("ingress", List, "the inline ingress rules"),
                attr("ingress.from_port", Int, "the start of the port range"),
                attr("ingress.to_port", Int, "the end of the port range"),
                attr("ingress.protocol", String, "the protocol, or `-1` for all"),
                attr(
                    "ingress.cidr_blocks",
                    List,
                    "the IPv4 CIDR blocks allowed in",
                ),
                attr(
                    "ingress.ipv6_cidr_blocks",
                    List,
                    "the IPv6 CIDR blocks allowed in",
                ),
                attr(
                    "ingress.security_groups",
                    List,
                    "the security groups allowed in",
                ),
                attr("ingress.self", Bool, "whether the group itself is a peer"),
                attr("ingress.description", String, "the rule description"),
                attr("egress", List, "the inline egress rules"),
                attr("egress.from_port", Int, "the start of the port range"),
                attr("egress.to_port", Int, "the end of the port range"),
                attr("egress.protocol", String, "the protocol, or `-1` for all"),
                attr(
                    "egress.cidr_blocks",
                    List,
                    "the IPv4 CIDR blocks allowed out to",
                ),
                attr(
                    "egress.ipv6_cidr_blocks",
                    List,
                    "the IPv6 CIDR blocks allowed out to",
                ),
                attr(
                    "egress.security_groups",
                    List,
                    "the security groups allowed out to",
                ),
                attr("egress.self", Bool, "whether the group itself is a peer"),
                attr("egress.description", String, "the rule description"),
            ],
            AWS_TAGS,
            &[
                out("id", String, "the security group id"),
                out("arn", String, "the security group's ARN"),
                out("owner_id", String, "the owning account"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_vpc_security_group_ingress_rule",
        kind: TypeKind::Supporting,
        doc: "an inbound rule of a VPC security group",
        attributes: &[
            SG_RULE_PROTOCOL,
            PORT_RANGE,
            &[
                attr("cidr_ipv4", String, "the source IPv4 CIDR range"),
                attr("cidr_ipv6", String, "the source IPv6 CIDR range"),
                attr(
                    "referenced_security_group_id",
                    String,
                    "the source security group",
                ),
                attr("prefix_list_id", String, "the source prefix list"),
                attr("description", String, "the rule description"),
            ],
            AWS_TAGS,
            SG_RULE_OUTPUTS,
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_vpc_security_group_egress_rule",
        kind: TypeKind::Supporting,
        doc: "an outbound rule of a VPC security group",
        attributes: &[
            SG_RULE_PROTOCOL,
            PORT_RANGE,
            &[
                attr("cidr_ipv4", String, "the destination IPv4 CIDR range"),
                attr("cidr_ipv6", String, "the destination IPv6 CIDR range"),
                attr(
                    "referenced_security_group_id",
                    String,
                    "the destination security group",
                ),
                attr("prefix_list_id", String, "the destination prefix list"),
                attr("description", String, "the rule description"),
            ],
            AWS_TAGS,
            SG_RULE_OUTPUTS,
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_security_group_rule",
        kind: TypeKind::Supporting,
        doc: "a single inbound or outbound security group rule",
        attributes: &[
            &[
                attr("type", String, "`ingress` or `egress`"),
                attr(
                    "security_group_id",
                    String,
                    "the security group the rule belongs to",
                ),
                attr("protocol", String, "the protocol, or `-1` for all"),
            ],
            PORT_RANGE,
            &[
                attr("cidr_blocks", List, "the peer IPv4 CIDR blocks"),
                attr("ipv6_cidr_blocks", List, "the peer IPv6 CIDR blocks"),
                attr(
                    "source_security_group_id",
                    String,
                    "the peer security group",
                ),
                attr("self", Bool, "whether the group itself is the peer"),
                attr("prefix_list_ids", List, "the peer prefix lists"),
                attr("description", String, "the rule description"),
                out("id", String, "the rule's id"),
                out(
                    "security_group_rule_id",
                    String,
                    "the rule's security group rule id",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_cloudwatch_metric_alarm",
        kind: TypeKind::Supporting,
        doc: "a CloudWatch metric alarm",
        attributes: &[
            &[
                attr("alarm_name", String, "the alarm name"),
                attr("alarm_description", String, "the alarm description"),
                attr(
                    "namespace",
                    String,
                    "the metric namespace, such as `AWS/ElastiCache`",
                ),
                attr("metric_name", String, "the metric name"),
                attr(
                    "dimensions",
                    Map,
                    "the metric dimensions, such as `CacheClusterId`",
                ),
                attr("statistic", String, "the statistic, such as `Average`"),
                attr("period", Int, "the period in seconds"),
                attr(
                    "evaluation_periods",
                    Int,
                    "the number of periods compared to the threshold",
                ),
                attr(
                    "threshold",
                    Int,
                    "the threshold the statistic is compared to",
                ),
                attr(
                    "comparison_operator",
                    String,
                    "the comparison, such as `GreaterThanThreshold`",
                ),
                attr("treat_missing_data", String, "how missing data is treated"),
                attr("alarm_actions", List, "the actions when the alarm fires"),
                attr("ok_actions", List, "the actions when the alarm clears"),
                attr(
                    "insufficient_data_actions",
                    List,
                    "the actions when data is insufficient",
                ),
                attr("metric_query", List, "the metric math queries"),
            ],
            AWS_TAGS,
            &[out("arn", String, "the alarm's ARN")],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_cloudwatch_log_group",
        kind: TypeKind::Supporting,
        doc: "a CloudWatch Logs log group",
        attributes: &[
            &[
                attr("name", String, "the log group name"),
                attr("name_prefix", String, "a prefix for a generated name"),
                attr(
                    "retention_in_days",
                    Int,
                    "how many days log events are kept",
                ),
                attr("kms_key_id", String, "the KMS key for encryption"),
                attr(
                    "log_group_class",
                    String,
                    "`STANDARD` or `INFREQUENT_ACCESS`",
                ),
                attr(
                    "skip_destroy",
                    Bool,
                    "whether the log group is kept on destroy",
                ),
            ],
            AWS_TAGS,
            &[out("arn", String, "the log group's ARN")],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "random_password",
        kind: TypeKind::Supporting,
        doc: "a generated password, often the auth token or master password of a service",
        attributes: &[&[
            attr("length", Int, "the password length"),
            attr("special", Bool, "whether special characters are used"),
            attr("upper", Bool, "whether upper-case letters are used"),
            attr("lower", Bool, "whether lower-case letters are used"),
            attr("numeric", Bool, "whether digits are used"),
            attr("override_special", String, "the special characters to use"),
            attr(
                "min_special",
                Int,
                "the minimum number of special characters",
            ),
            attr(
                "keepers",
                Map,
                "values whose change generates a new password",
            ),
            out("result", String, "the generated password (sensitive)"),
            out(
                "bcrypt_hash",
                String,
                "a bcrypt hash of the password (sensitive)",
            ),
        ]],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_secretsmanager_secret",
        kind: TypeKind::Supporting,
        doc: "a Secrets Manager secret",
        attributes: &[
            &[
                attr("name", String, "the secret name"),
                attr("name_prefix", String, "a prefix for a generated name"),
                attr("description", String, "the secret description"),
                attr("kms_key_id", String, "the KMS key for encryption"),
                attr(
                    "recovery_window_in_days",
                    Int,
                    "the days before a deleted secret is removed, 0 to remove at once",
                ),
                attr("replica", List, "the regions the secret is replicated to"),
            ],
            AWS_TAGS,
            &[
                out("id", String, "the secret's ARN"),
                out("arn", String, "the secret's ARN"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_secretsmanager_secret_version",
        kind: TypeKind::Supporting,
        doc: "a version of a Secrets Manager secret's value",
        attributes: &[&[
            attr("secret_id", String, "the secret the version belongs to"),
            attr(
                "secret_string",
                String,
                "the secret value as a string (sensitive)",
            ),
            attr(
                "secret_binary",
                String,
                "the secret value as base64 (sensitive)",
            ),
            attr(
                "version_stages",
                List,
                "the staging labels, such as `AWSCURRENT`",
            ),
            out("arn", String, "the secret's ARN"),
            out("version_id", String, "the version id"),
        ]],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_ssm_parameter",
        kind: TypeKind::Supporting,
        doc: "an SSM Parameter Store parameter",
        attributes: &[
            &[
                attr("name", String, "the parameter name"),
                attr("type", String, "`String`, `StringList` or `SecureString`"),
                attr("value", String, "the parameter value (sensitive)"),
                attr(
                    "insecure_value",
                    String,
                    "the parameter value, not marked sensitive",
                ),
                attr("description", String, "the parameter description"),
                attr(
                    "tier",
                    String,
                    "`Standard`, `Advanced` or `Intelligent-Tiering`",
                ),
                attr("key_id", String, "the KMS key for a `SecureString`"),
                attr("data_type", String, "the data type, such as `text`"),
                attr(
                    "overwrite",
                    Bool,
                    "whether an existing parameter is overwritten",
                ),
            ],
            AWS_TAGS,
            &[
                out("arn", String, "the parameter's ARN"),
                out("version", Int, "the parameter version"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_secret",
        kind: TypeKind::Supporting,
        doc: "a Kubernetes Secret",
        attributes: &[K8S_METADATA, K8S_SECRET_DATA],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_secret_v1",
        kind: TypeKind::Supporting,
        doc: "a Kubernetes Secret",
        attributes: &[
            K8S_METADATA,
            K8S_SECRET_DATA,
            &[attr(
                "wait_for_service_account_token",
                Bool,
                "whether to wait for a service account token to be filled in",
            )],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_config_map",
        kind: TypeKind::Supporting,
        doc: "a Kubernetes ConfigMap",
        attributes: &[
            K8S_METADATA,
            &[
                attr("data", Map, "the configuration data, keyed by name"),
                attr(
                    "binary_data",
                    Map,
                    "base64-encoded binary data, keyed by name",
                ),
                attr("immutable", Bool, "whether the data cannot be updated"),
            ],
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_service",
        kind: TypeKind::Supporting,
        doc: "a Kubernetes Service",
        attributes: &[K8S_METADATA, K8S_SERVICE_SPEC],
    },
    ResourceType {
        format: Format::Terraform,
        name: "kubernetes_service_v1",
        kind: TypeKind::Supporting,
        doc: "a Kubernetes Service",
        attributes: &[K8S_METADATA, K8S_SERVICE_SPEC],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_db_subnet_group",
        kind: TypeKind::Supporting,
        doc: "an RDS DB subnet group",
        attributes: &[
            SUBNET_GROUP_NAME,
            SUBNET_GROUP,
            AWS_TAGS,
            SUBNET_GROUP_OUTPUTS,
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_db_parameter_group",
        kind: TypeKind::Supporting,
        doc: "an RDS DB parameter group",
        attributes: &[
            PARAMETER_GROUP_NAME,
            &[attr(
                "family",
                String,
                "the parameter group family, such as `postgres16`",
            )],
            PARAMETER_GROUP,
            &[attr(
                "parameter.apply_method",
                String,
                "`immediate` or `pending-reboot`",
            )],
            AWS_TAGS,
            PARAMETER_GROUP_OUTPUTS,
        ],
    },
    ResourceType {
        format: Format::Terraform,
        name: "aws_rds_cluster_parameter_group",
        kind: TypeKind::Supporting,
        doc: "an RDS DB cluster parameter group",
        attributes: &[
            PARAMETER_GROUP_NAME,
            &[attr(
                "family",
                String,
                "the parameter group family, such as `aurora-postgresql16`",
            )],
            PARAMETER_GROUP,
            &[attr(
                "parameter.apply_method",
                String,
                "`immediate` or `pending-reboot`",
            )],
            AWS_TAGS,
            PARAMETER_GROUP_OUTPUTS,
        ],
    },
];
