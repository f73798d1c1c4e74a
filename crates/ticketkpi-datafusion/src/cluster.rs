//! The processes of a Ballista cluster that runs ticketkpi's functions: a scheduler and
//! executors built with ticketkpi's codecs ([`crate::codec`]), so that the plans a client
//! sends carry the functions and their settings. Ballista's stock `ballista-scheduler` and
//! `ballista-executor` binaries cannot decode them; these can (`ticketkpi-datafusion
//! scheduler` and `ticketkpi-datafusion executor`).

use std::net::SocketAddr;
use std::sync::Arc;

use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;

use crate::codec::{LogicalCodec, PhysicalCodec};

/// Runs a scheduler on `bind` until the process ends.
pub async fn scheduler(bind: SocketAddr) -> anyhow::Result<()> {
    let config = SchedulerConfig {
        bind_host: bind.ip().to_string(),
        bind_port: bind.port(),
        external_host: bind.ip().to_string(),
        override_logical_codec: Some(Arc::new(LogicalCodec::default())),
        override_physical_codec: Some(Arc::new(PhysicalCodec::default())),
        ..SchedulerConfig::default()
    };
    let cluster = BallistaCluster::new_from_config(&config)
        .await
        .map_err(|error| anyhow::anyhow!("the scheduler's cluster state: {error}"))?;
    start_server(cluster, bind, Arc::new(config))
        .await
        .map_err(|error| anyhow::anyhow!("the scheduler on {bind}: {error}"))
}

/// Where an executor listens and which scheduler it serves.
#[derive(Debug, Clone)]
pub struct ExecutorSettings {
    pub scheduler_host: String,
    pub scheduler_port: u16,
    /// The host other processes reach this executor at.
    pub host: String,
    /// Arrow Flight (shuffle data) port.
    pub port: u16,
    /// gRPC port.
    pub grpc_port: u16,
    /// Task slots; `None`: one per core.
    pub slots: Option<usize>,
    /// Where shuffle files go; `None`: a temporary folder.
    pub work_dir: Option<String>,
}

/// Runs an executor until the process ends.
pub async fn executor(settings: ExecutorSettings) -> anyhow::Result<()> {
    let defaults = ExecutorProcessConfig::default();
    let config = ExecutorProcessConfig {
        bind_host: settings.host.clone(),
        external_host: Some(settings.host),
        port: settings.port,
        grpc_port: settings.grpc_port,
        scheduler_host: settings.scheduler_host,
        scheduler_port: settings.scheduler_port,
        // Keep trying while the scheduler starts.
        scheduler_connect_timeout_seconds: 30,
        vcores: settings.slots.unwrap_or(defaults.vcores),
        work_dir: settings.work_dir,
        override_logical_codec: Some(Arc::new(LogicalCodec::default())),
        override_physical_codec: Some(Arc::new(PhysicalCodec::default())),
        ..defaults
    };
    start_executor_process(Arc::new(config))
        .await
        .map_err(|error| anyhow::anyhow!("the executor: {error}"))
}
