//! The Kubernetes resource types graft knows, by `kind`: the workloads that
//! consume a backing service, the CloudNativePG `Cluster` that may be the
//! service itself, and the supporting objects around them.
//!
//! Paths follow the manifest (`spec.template.metadata.labels`); a list of
//! objects lists its fields under the list's name (`spec.ports.port` is the
//! port of any entry). Workloads also have attributes graft derives from the
//! manifest, such as `image` (any container's image) and `service.dns` (the
//! Service in front of the workload's pods), so that rules need not know where
//! each kind keeps its pod template.
use super::{AttrType::*, Attribute, Format, ResourceType, TypeKind, attr, out};

/// The object header: `apiVersion`, `kind` and the object metadata, shared by
/// every kind below.
const K8S_OBJECT: &[Attribute] = &[
    attr("apiVersion", String, "the API group and version"),
    attr("kind", String, "the object kind"),
    attr("metadata", Object, "the object metadata"),
    attr("metadata.name", String, "the object's name"),
    attr("metadata.namespace", String, "the object's namespace"),
    attr("metadata.labels", Map, "the object's labels"),
    attr("metadata.annotations", Map, "the object's annotations"),
];

/// The workload spec and its replica count, shared by `Deployment`,
/// `StatefulSet` and `ReplicaSet`.
const K8S_REPLICATED_SPEC: &[Attribute] = &[
    attr("spec", Object, "the workload spec"),
    attr("spec.replicas", Int, "the desired number of pods"),
];

/// The label selector of the pods a workload manages, shared by `Deployment`,
/// `StatefulSet`, `DaemonSet` and `ReplicaSet`.
const K8S_POD_SELECTOR: &[Attribute] = &[
    attr("spec.selector", Object, "the label selector"),
    attr(
        "spec.selector.matchLabels",
        Map,
        "the labels of the pods it manages",
    ),
    attr(
        "spec.selector.matchExpressions",
        List,
        "the set-based selector requirements",
    ),
];

/// The pod template at `spec.template`, shared by `Deployment`, `StatefulSet`,
/// `DaemonSet`, `ReplicaSet` and `Job`.
const K8S_POD_TEMPLATE: &[Attribute] = &[
    attr("spec.template", Object, "the pod template"),
    attr(
        "spec.template.metadata",
        Object,
        "the pod template metadata",
    ),
    attr(
        "spec.template.metadata.labels",
        Map,
        "the pod template labels",
    ),
    attr(
        "spec.template.metadata.annotations",
        Map,
        "the pod template annotations",
    ),
    attr("spec.template.spec", Object, "the pod spec"),
    attr("spec.template.spec.containers", List, "the containers"),
    attr(
        "spec.template.spec.initContainers",
        List,
        "the init containers",
    ),
    attr("spec.template.spec.volumes", List, "the volumes"),
    attr(
        "spec.template.spec.serviceAccountName",
        String,
        "the service account the pod runs as",
    ),
    attr(
        "spec.template.spec.imagePullSecrets",
        List,
        "the secrets used to pull images",
    ),
    attr(
        "spec.template.spec.nodeSelector",
        Map,
        "the node labels the pod must run on",
    ),
];

/// The derived name and namespace of a workload, shared by `Deployment`,
/// `StatefulSet`, `DaemonSet`, `ReplicaSet`, `Job` and `CronJob`.
const K8S_WORKLOAD_NAME: &[Attribute] = &[
    attr(
        "name",
        String,
        "the workload's name (derived from `metadata.name`)",
    ),
    attr(
        "namespace",
        String,
        "the workload's namespace, `default` when unset (derived)",
    ),
];

/// The derived image and labels of a workload's pod template, shared by
/// `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet` and `Job`.
const K8S_TEMPLATE_IMAGE_LABELS: &[Attribute] = &[
    attr(
        "image",
        String,
        "the image of any container in the pod template; not of an init container, which runs before it (a `wait-for-redis` on a Redis image is no Redis) (derived)",
    ),
    attr("labels", Map, "the labels of the pod template (derived)"),
];

/// The derived replica count of a workload, shared by `Deployment`,
/// `StatefulSet` and `ReplicaSet`.
const K8S_REPLICAS: &[Attribute] = &[attr(
    "replicas",
    Int,
    "the number of pod replicas, 1 when unset (derived from `spec.replicas`)",
)];

/// The derived containers of a workload's pod template, shared by `Deployment`,
/// `StatefulSet`, `DaemonSet`, `ReplicaSet` and `Job`.
const K8S_TEMPLATE_CONTAINERS: &[Attribute] = &[attr(
    "containers",
    List,
    "the containers of the pod template (derived)",
)];

/// The derived container fields and the Service in front of the pods, shared by
/// `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`, `Job`, `CronJob` and
/// `Pod`.
const K8S_CONTAINERS_AND_SERVICE: &[Attribute] = &[
    attr(
        "containers.name",
        String,
        "the name of a container (derived)",
    ),
    attr(
        "containers.image",
        String,
        "the image of a container (derived)",
    ),
    attr(
        "containers.command",
        String,
        "a word of a container's `command` (derived; a predicate holds when it holds for one)",
    ),
    attr(
        "containers.args",
        String,
        "a word of a container's `args` (derived; a predicate holds when it holds for one)",
    ),
    attr(
        "containers.env",
        List,
        "the environment variables of a container (derived)",
    ),
    attr(
        "containers.ports",
        List,
        "the ports of a container (derived)",
    ),
    out(
        "service.name",
        String,
        "the name of the Service that selects the workload's pods",
    ),
    out(
        "service.dns",
        String,
        "the DNS name of the Service that selects the workload's pods, `svc.ns.svc.cluster.local`",
    ),
    out("service.port", Int, "the port of that Service"),
    out(
        "service.endpoint",
        String,
        "that Service's `host:port`; consumers name it bare, with a port, or inside a URL",
    ),
    out(
        "service.url",
        String,
        "a URL naming that Service (`scheme://[user:password@]svc:port[/path]`): where consumers write one, `bind url` replaces its scheme, host, port and path, keeping the credentials as `$(VAR)` references",
    ),
];

/// What an operator makes for a custom resource: objects the stack names
/// (a Service's host name, a Secret in a `secretKeyRef`) but does not hold.
/// Names are the resource's own name with a suffix.
#[derive(Debug)]
pub struct Generated {
    /// The custom resource's kind.
    pub kind: &'static str,
    /// Its API group (`apiVersion` before the `/`).
    pub group: &'static str,
    /// The Services the operator makes, by name suffix, each with the
    /// attribute of the resource that names it (the rules' role with that
    /// source is what a client naming it is given: a reader endpoint for a
    /// read-only Service).
    pub services: &'static [(&'static str, &'static str)],
    /// The port they listen on.
    pub port: &'static str,
    /// The Secrets the operator makes, by name suffix, and whether their
    /// keys hold what `keys` says (`NAME-app`), or only their password is
    /// known (`NAME-superuser`, whose user is not the application's).
    pub secrets: &'static [(&'static str, bool)],
    /// What the keys of those Secrets (and of the Secrets the resource
    /// reads its users' credentials from) hold: the attribute of the
    /// resource whose value it is (the rules' role with that source gives
    /// the new value), `""` for the password; and whether the value is a
    /// JDBC URL (the role's URL in JDBC form).
    pub keys: &'static [(&'static str, &'static str, bool)],
    /// Where the resource names the Secrets it reads its users'
    /// credentials from (their `password` key is the credential).
    pub reads_secrets: &'static [&'static [&'static str]],
    /// Where it names Secrets it uses for itself (its backups' object
    /// store credentials): they go with it when nothing else uses them.
    pub uses_secrets: &'static [&'static [&'static str]],
    /// The kinds of the same group that exist for the resource, and where
    /// they name it (backups, schedules, poolers).
    pub attached: &'static [(&'static str, &'static [&'static str])],
}

/// The operators whose objects graft knows.
pub static GENERATED: &[Generated] = &[Generated {
    kind: "Cluster",
    group: "postgresql.cnpg.io",
    services: &[
        ("-rw", "service.rw"),
        ("-ro", "service.ro"),
        ("-r", "service.ro"),
    ],
    port: "5432",
    secrets: &[("-app", true), ("-superuser", false)],
    keys: &[
        ("password", "", false),
        ("username", "spec.bootstrap.initdb.owner", false),
        ("user", "spec.bootstrap.initdb.owner", false),
        ("dbname", "spec.bootstrap.initdb.database", false),
        ("host", "service.rw", false),
        ("port", "service.port", false),
        ("uri", "service.url", false),
        ("fqdn-uri", "service.url", false),
        ("jdbc-uri", "service.url", true),
        ("fqdn-jdbc-uri", "service.url", true),
    ],
    reads_secrets: &[
        &["spec", "bootstrap", "initdb", "secret", "name"],
        &["spec", "superuserSecret", "name"],
    ],
    uses_secrets: &[
        &[
            "spec",
            "backup",
            "barmanObjectStore",
            "s3Credentials",
            "accessKeyId",
            "name",
        ],
        &[
            "spec",
            "backup",
            "barmanObjectStore",
            "s3Credentials",
            "secretAccessKey",
            "name",
        ],
        &[
            "spec",
            "backup",
            "barmanObjectStore",
            "azureCredentials",
            "storageKey",
            "name",
        ],
        &[
            "spec",
            "backup",
            "barmanObjectStore",
            "azureCredentials",
            "connectionString",
            "name",
        ],
        &[
            "spec",
            "backup",
            "barmanObjectStore",
            "googleCredentials",
            "applicationCredentials",
            "name",
        ],
    ],
    attached: &[
        ("ScheduledBackup", &["spec", "cluster", "name"]),
        ("Backup", &["spec", "cluster", "name"]),
        ("Pooler", &["spec", "cluster", "name"]),
    ],
}];

/// Whether an operator makes objects for, or attaches objects to,
/// resources of `kind` (of some group): cheap, before the `apiVersion` is
/// read.
pub fn operator_kind(kind: &str) -> bool {
    GENERATED
        .iter()
        .any(|g| g.kind == kind || g.attached.iter().any(|(k, _)| *k == kind))
}

/// What an operator makes for an object of `kind` and `api_version`.
pub fn generated(kind: &str, api_version: &str) -> Option<&'static Generated> {
    generated_at(kind, api_version).map(|i| &GENERATED[i])
}

/// [`generated`], as its place in [`GENERATED`].
pub fn generated_at(kind: &str, api_version: &str) -> Option<usize> {
    let group = api_version.split('/').next().unwrap_or("");
    GENERATED
        .iter()
        .position(|g| g.kind == kind && g.group == group)
}

/// The Kubernetes resource types graft knows.
pub(super) static TYPES: &[ResourceType] = &[
    ResourceType {
        format: Format::Kubernetes,
        name: "Deployment",
        kind: TypeKind::Workload,
        doc: "a Deployment (apps/v1): replicated stateless pods",
        attributes: &[
            K8S_OBJECT,
            K8S_REPLICATED_SPEC,
            &[attr("spec.strategy", Object, "the rollout strategy")],
            K8S_POD_SELECTOR,
            K8S_POD_TEMPLATE,
            K8S_WORKLOAD_NAME,
            K8S_TEMPLATE_IMAGE_LABELS,
            K8S_REPLICAS,
            K8S_TEMPLATE_CONTAINERS,
            K8S_CONTAINERS_AND_SERVICE,
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "StatefulSet",
        kind: TypeKind::Workload,
        doc: "a StatefulSet (apps/v1): pods with stable names and storage",
        attributes: &[
            K8S_OBJECT,
            K8S_REPLICATED_SPEC,
            &[
                attr(
                    "spec.serviceName",
                    String,
                    "the headless Service that gives the pods their DNS names",
                ),
                attr(
                    "spec.volumeClaimTemplates",
                    List,
                    "the persistent volume claims made for each pod",
                ),
                attr("spec.updateStrategy", Object, "the rollout strategy"),
            ],
            K8S_POD_SELECTOR,
            K8S_POD_TEMPLATE,
            K8S_WORKLOAD_NAME,
            K8S_TEMPLATE_IMAGE_LABELS,
            K8S_REPLICAS,
            K8S_TEMPLATE_CONTAINERS,
            K8S_CONTAINERS_AND_SERVICE,
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "DaemonSet",
        kind: TypeKind::Workload,
        doc: "a DaemonSet (apps/v1): one pod on each node",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the workload spec"),
                attr("spec.updateStrategy", Object, "the rollout strategy"),
            ],
            K8S_POD_SELECTOR,
            K8S_POD_TEMPLATE,
            K8S_WORKLOAD_NAME,
            K8S_TEMPLATE_IMAGE_LABELS,
            K8S_TEMPLATE_CONTAINERS,
            K8S_CONTAINERS_AND_SERVICE,
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "ReplicaSet",
        kind: TypeKind::Workload,
        doc: "a ReplicaSet (apps/v1): a set of identical pods",
        attributes: &[
            K8S_OBJECT,
            K8S_REPLICATED_SPEC,
            K8S_POD_SELECTOR,
            K8S_POD_TEMPLATE,
            K8S_WORKLOAD_NAME,
            K8S_TEMPLATE_IMAGE_LABELS,
            K8S_REPLICAS,
            K8S_TEMPLATE_CONTAINERS,
            K8S_CONTAINERS_AND_SERVICE,
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "Job",
        kind: TypeKind::Workload,
        doc: "a Job (batch/v1): pods that run to completion",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the workload spec"),
                attr(
                    "spec.backoffLimit",
                    Int,
                    "the number of retries before the job fails",
                ),
                attr(
                    "spec.completions",
                    Int,
                    "the number of successful pods needed",
                ),
                attr("spec.parallelism", Int, "the number of pods run at once"),
                attr(
                    "spec.ttlSecondsAfterFinished",
                    Int,
                    "the seconds before a finished job is removed",
                ),
            ],
            K8S_POD_TEMPLATE,
            K8S_WORKLOAD_NAME,
            K8S_TEMPLATE_IMAGE_LABELS,
            K8S_TEMPLATE_CONTAINERS,
            K8S_CONTAINERS_AND_SERVICE,
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "CronJob",
        kind: TypeKind::Workload,
        doc: "a CronJob (batch/v1): a job run on a schedule",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the workload spec"),
                attr("spec.schedule", String, "the cron schedule"),
                attr("spec.timeZone", String, "the time zone of the schedule"),
                attr("spec.suspend", Bool, "whether runs are suspended"),
                attr(
                    "spec.concurrencyPolicy",
                    String,
                    "`Allow`, `Forbid` or `Replace`",
                ),
                attr("spec.jobTemplate", Object, "the job template"),
                attr("spec.jobTemplate.spec", Object, "the job spec"),
                attr("spec.jobTemplate.spec.template", Object, "the pod template"),
                attr(
                    "spec.jobTemplate.spec.template.metadata",
                    Object,
                    "the pod template metadata",
                ),
                attr(
                    "spec.jobTemplate.spec.template.metadata.labels",
                    Map,
                    "the pod template labels",
                ),
                attr(
                    "spec.jobTemplate.spec.template.metadata.annotations",
                    Map,
                    "the pod template annotations",
                ),
                attr(
                    "spec.jobTemplate.spec.template.spec",
                    Object,
                    "the pod spec",
                ),
                attr(
                    "spec.jobTemplate.spec.template.spec.containers",
                    List,
                    "the containers",
                ),
                attr(
                    "spec.jobTemplate.spec.template.spec.initContainers",
                    List,
                    "the init containers",
                ),
                attr(
                    "spec.jobTemplate.spec.template.spec.volumes",
                    List,
                    "the volumes",
                ),
                attr(
                    "spec.jobTemplate.spec.template.spec.serviceAccountName",
                    String,
                    "the service account the pod runs as",
                ),
                attr(
                    "spec.jobTemplate.spec.template.spec.imagePullSecrets",
                    List,
                    "the secrets used to pull images",
                ),
                attr(
                    "spec.jobTemplate.spec.template.spec.nodeSelector",
                    Map,
                    "the node labels the pod must run on",
                ),
            ],
            K8S_WORKLOAD_NAME,
            &[
                attr(
                    "image",
                    String,
                    "the image of any container in the job's pod template; not of an init container (derived)",
                ),
                attr(
                    "labels",
                    Map,
                    "the labels of the job's pod template (derived)",
                ),
                attr(
                    "containers",
                    List,
                    "the containers of the job's pod template (derived)",
                ),
            ],
            K8S_CONTAINERS_AND_SERVICE,
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "Pod",
        kind: TypeKind::Workload,
        doc: "a bare Pod (v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the pod spec"),
                attr("spec.containers", List, "the containers"),
                attr("spec.initContainers", List, "the init containers"),
                attr("spec.volumes", List, "the volumes"),
                attr(
                    "spec.serviceAccountName",
                    String,
                    "the service account the pod runs as",
                ),
                attr(
                    "spec.imagePullSecrets",
                    List,
                    "the secrets used to pull images",
                ),
                attr(
                    "spec.nodeSelector",
                    Map,
                    "the node labels the pod must run on",
                ),
                attr(
                    "spec.restartPolicy",
                    String,
                    "`Always`, `OnFailure` or `Never`",
                ),
                attr(
                    "name",
                    String,
                    "the pod's name (derived from `metadata.name`)",
                ),
                attr(
                    "namespace",
                    String,
                    "the pod's namespace, `default` when unset (derived)",
                ),
                attr(
                    "image",
                    String,
                    "the image of any container in the pod; not of an init container (derived)",
                ),
                attr("labels", Map, "the labels of the pod (derived)"),
                attr("containers", List, "the containers of the pod (derived)"),
            ],
            K8S_CONTAINERS_AND_SERVICE,
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "Cluster",
        kind: TypeKind::Service,
        doc: "a CloudNativePG PostgreSQL cluster (postgresql.cnpg.io/v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the cluster spec"),
                attr("spec.description", String, "the cluster description"),
                attr("spec.instances", Int, "the number of PostgreSQL instances"),
                attr("spec.imageName", String, "the PostgreSQL image"),
                attr(
                    "spec.imageCatalogRef",
                    Object,
                    "the image catalog entry to take the image from",
                ),
                attr("spec.postgresql", Object, "the PostgreSQL configuration"),
                attr(
                    "spec.postgresql.parameters",
                    Map,
                    "the PostgreSQL parameters",
                ),
                attr(
                    "spec.postgresql.pg_hba",
                    List,
                    "the extra pg_hba.conf lines",
                ),
                attr("spec.bootstrap", Object, "how the cluster is created"),
                attr(
                    "spec.bootstrap.initdb",
                    Object,
                    "bootstrap by creating an empty database",
                ),
                attr(
                    "spec.bootstrap.initdb.database",
                    String,
                    "the application database, `app` by default",
                ),
                attr(
                    "spec.bootstrap.initdb.owner",
                    String,
                    "the owner of the application database",
                ),
                attr(
                    "spec.bootstrap.initdb.secret",
                    Object,
                    "the secret with the owner's credentials",
                ),
                attr(
                    "spec.bootstrap.initdb.secret.name",
                    String,
                    "the name of that secret",
                ),
                attr(
                    "spec.bootstrap.recovery",
                    Object,
                    "bootstrap by recovering from a backup",
                ),
                attr(
                    "spec.bootstrap.pg_basebackup",
                    Object,
                    "bootstrap by cloning another cluster",
                ),
                attr("spec.storage", Object, "the data volume settings"),
                attr("spec.storage.size", String, "the size of each data volume"),
                attr(
                    "spec.storage.storageClass",
                    String,
                    "the storage class of the data volumes",
                ),
                attr(
                    "spec.walStorage",
                    Object,
                    "the separate WAL volume settings",
                ),
                attr(
                    "spec.superuserSecret",
                    Object,
                    "the secret with the superuser's credentials",
                ),
                attr(
                    "spec.superuserSecret.name",
                    String,
                    "the name of that secret",
                ),
                attr(
                    "spec.enableSuperuserAccess",
                    Bool,
                    "whether the superuser may log in",
                ),
                attr(
                    "spec.managed",
                    Object,
                    "the declaratively managed roles and services",
                ),
                attr("spec.managed.roles", List, "the managed database roles"),
                attr("spec.backup", Object, "the backup settings"),
                attr(
                    "spec.backup.barmanObjectStore",
                    Object,
                    "the object store backups and WAL are archived to",
                ),
                attr(
                    "spec.backup.retentionPolicy",
                    String,
                    "how long backups are kept, such as `30d`",
                ),
                attr(
                    "spec.plugins",
                    List,
                    "the CNPG-I plugins, such as the Barman Cloud plugin",
                ),
                attr(
                    "spec.externalClusters",
                    List,
                    "the other clusters to recover or replicate from",
                ),
                attr("spec.replica", Object, "the replica cluster settings"),
                attr("spec.certificates", Object, "the TLS certificate settings"),
                attr(
                    "spec.primaryUpdateStrategy",
                    String,
                    "`unsupervised` or `supervised`",
                ),
                attr("spec.monitoring", Object, "the monitoring settings"),
                attr(
                    "spec.resources",
                    Object,
                    "the resource requests and limits of each instance",
                ),
                attr("spec.affinity", Object, "the scheduling settings"),
                attr(
                    "spec.inheritedMetadata",
                    Object,
                    "the labels and annotations passed on to generated objects",
                ),
                out(
                    "service.rw",
                    String,
                    "the host name of the read-write service, `<name>-rw`",
                ),
                out(
                    "service.ro",
                    String,
                    "the host name of the read-only service, `<name>-ro`",
                ),
                out("service.port", Int, "the port of those services, 5432"),
                out(
                    "service.url",
                    String,
                    "a URL naming the read-write service (`postgresql://user:password@<name>-rw:5432/db`), as the `uri` of `<name>-app` holds one",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "Service",
        kind: TypeKind::Supporting,
        doc: "a Service (v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the service spec"),
                attr("spec.selector", Map, "the pod labels the service routes to"),
                attr("spec.ports", List, "the ports the service exposes"),
                attr("spec.ports.name", String, "the name of a port"),
                attr("spec.ports.port", Int, "the port the service listens on"),
                attr(
                    "spec.ports.targetPort",
                    String,
                    "the pod port, by number or name",
                ),
                attr(
                    "spec.ports.protocol",
                    String,
                    "the protocol of a port, `TCP` by default",
                ),
                attr(
                    "spec.type",
                    String,
                    "the service type, such as `ClusterIP` or `ExternalName`",
                ),
                attr(
                    "spec.clusterIP",
                    String,
                    "the cluster IP, or `None` for a headless service",
                ),
                attr(
                    "spec.externalName",
                    String,
                    "the DNS name an `ExternalName` service aliases",
                ),
                out(
                    "dns",
                    String,
                    "the service's DNS name, `name.ns.svc.cluster.local`",
                ),
                out("port", Int, "the service's first port"),
            ],
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "Secret",
        kind: TypeKind::Supporting,
        doc: "a Secret (v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("data", Map, "the base64-encoded data, keyed by name"),
                attr("stringData", Map, "the plain-text data, keyed by name"),
                attr(
                    "type",
                    String,
                    "the secret type, such as `Opaque` or `kubernetes.io/tls`",
                ),
                attr("immutable", Bool, "whether the data cannot be updated"),
            ],
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "ConfigMap",
        kind: TypeKind::Supporting,
        doc: "a ConfigMap (v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("data", Map, "the configuration data, keyed by name"),
                attr(
                    "binaryData",
                    Map,
                    "the base64-encoded binary data, keyed by name",
                ),
                attr("immutable", Bool, "whether the data cannot be updated"),
            ],
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "PersistentVolumeClaim",
        kind: TypeKind::Supporting,
        doc: "a PersistentVolumeClaim (v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the claim spec"),
                attr("spec.storageClassName", String, "the storage class"),
                attr(
                    "spec.accessModes",
                    List,
                    "the access modes, such as `ReadWriteOnce`",
                ),
                attr("spec.resources", Object, "the requested resources"),
                attr("spec.resources.requests", Object, "the resource requests"),
                attr(
                    "spec.resources.requests.storage",
                    String,
                    "the requested size, such as `10Gi`",
                ),
                attr(
                    "spec.volumeName",
                    String,
                    "the volume the claim is bound to",
                ),
                attr("spec.volumeMode", String, "`Filesystem` or `Block`"),
            ],
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "ServiceAccount",
        kind: TypeKind::Supporting,
        doc: "a ServiceAccount (v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr(
                    "automountServiceAccountToken",
                    Bool,
                    "whether pods mount the account's token",
                ),
                attr("secrets", List, "the secrets pods may use"),
                attr("imagePullSecrets", List, "the secrets used to pull images"),
            ],
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "NetworkPolicy",
        kind: TypeKind::Supporting,
        doc: "a NetworkPolicy (networking.k8s.io/v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the policy spec"),
                attr("spec.podSelector", Object, "the label selector"),
                attr(
                    "spec.podSelector.matchLabels",
                    Map,
                    "the labels of the pods the policy applies to",
                ),
                attr(
                    "spec.podSelector.matchExpressions",
                    List,
                    "the set-based selector requirements",
                ),
                attr("spec.policyTypes", List, "`Ingress`, `Egress` or both"),
                attr("spec.ingress", List, "the inbound rules"),
                attr("spec.egress", List, "the outbound rules"),
            ],
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "PodDisruptionBudget",
        kind: TypeKind::Supporting,
        doc: "a PodDisruptionBudget (policy/v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the budget spec"),
                attr(
                    "spec.minAvailable",
                    String,
                    "the pods that must stay available, a number or a percentage",
                ),
                attr(
                    "spec.maxUnavailable",
                    String,
                    "the pods that may be unavailable, a number or a percentage",
                ),
                attr("spec.selector", Object, "the label selector"),
                attr(
                    "spec.selector.matchLabels",
                    Map,
                    "the labels of the pods the budget covers",
                ),
                attr(
                    "spec.selector.matchExpressions",
                    List,
                    "the set-based selector requirements",
                ),
            ],
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "HorizontalPodAutoscaler",
        kind: TypeKind::Supporting,
        doc: "a HorizontalPodAutoscaler (autoscaling/v2)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the autoscaler spec"),
                attr("spec.scaleTargetRef", Object, "the workload being scaled"),
                attr(
                    "spec.scaleTargetRef.kind",
                    String,
                    "the kind of that workload",
                ),
                attr(
                    "spec.scaleTargetRef.name",
                    String,
                    "the name of that workload",
                ),
                attr("spec.minReplicas", Int, "the minimum number of replicas"),
                attr("spec.maxReplicas", Int, "the maximum number of replicas"),
                attr("spec.metrics", List, "the metrics scaled on"),
            ],
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "Ingress",
        kind: TypeKind::Supporting,
        doc: "an Ingress (networking.k8s.io/v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the ingress spec"),
                attr("spec.ingressClassName", String, "the ingress class"),
                attr(
                    "spec.defaultBackend",
                    Object,
                    "the backend for unmatched requests",
                ),
                attr("spec.rules", List, "the routing rules"),
                attr("spec.rules.host", String, "the host of a rule"),
                attr("spec.tls", List, "the TLS settings"),
            ],
        ],
    },
    ResourceType {
        format: Format::Kubernetes,
        name: "ServiceMonitor",
        kind: TypeKind::Supporting,
        doc: "a Prometheus Operator ServiceMonitor (monitoring.coreos.com/v1)",
        attributes: &[
            K8S_OBJECT,
            &[
                attr("spec", Object, "the monitor spec"),
                attr("spec.selector", Object, "the label selector"),
                attr(
                    "spec.selector.matchLabels",
                    Map,
                    "the labels of the Services to scrape",
                ),
                attr(
                    "spec.selector.matchExpressions",
                    List,
                    "the set-based selector requirements",
                ),
                attr(
                    "spec.namespaceSelector",
                    Object,
                    "the namespaces to look for Services in",
                ),
                attr("spec.endpoints", List, "the endpoints to scrape"),
                attr(
                    "spec.endpoints.port",
                    String,
                    "the Service port name of an endpoint",
                ),
                attr(
                    "spec.endpoints.path",
                    String,
                    "the HTTP path of an endpoint",
                ),
                attr(
                    "spec.endpoints.interval",
                    String,
                    "the scrape interval of an endpoint",
                ),
                attr(
                    "spec.jobLabel",
                    String,
                    "the Service label used as the job name",
                ),
            ],
        ],
    },
];
