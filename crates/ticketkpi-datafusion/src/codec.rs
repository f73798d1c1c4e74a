//! How ticketkpi's functions travel in a Ballista plan to a scheduler and executors in other
//! processes: Ballista's own codecs, with the aggregate functions encoded as the run's
//! settings ([`Definitions`] bytes) and rebuilt from them on the other side. A scheduler and
//! executors that use these codecs (`ticketkpi-datafusion scheduler` / `executor`) need no
//! file of the run and no registration: the plan carries everything.

use std::sync::Arc;

use ballista_core::serde::{BallistaLogicalExtensionCodec, BallistaPhysicalExtensionCodec};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::TableProvider;
use datafusion::common::TableReference;
use datafusion::datasource::file_format::FileFormatFactory;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::TaskContext;
use datafusion::logical_expr::{AggregateUDF, AggregateUDFImpl, Extension, LogicalPlan};
use datafusion::physical_plan::ExecutionPlan;
use datafusion_proto::logical_plan::LogicalExtensionCodec;
use datafusion_proto::physical_plan::{PhysicalExtensionCodec, PhysicalProtoConverterExtension};

use crate::definitions::{Definitions, Shared};
use crate::fold::TicketFold;
use crate::kpis::TicketReport;
use crate::records::TicketRecordFold;
use crate::session::functions;

/// The settings one of our functions was made for, if `function` is one of ours.
fn shared_of(function: &AggregateUDF) -> Option<&Shared> {
    let inner: &dyn AggregateUDFImpl = function.inner().as_ref();
    inner
        .downcast_ref::<TicketFold>()
        .map(TicketFold::shared)
        .or_else(|| {
            inner
                .downcast_ref::<TicketRecordFold>()
                .map(TicketRecordFold::shared)
        })
        .or_else(|| {
            inner
                .downcast_ref::<TicketReport>()
                .map(TicketReport::shared)
        })
}

fn encode_udaf(function: &AggregateUDF, buf: &mut Vec<u8>) -> Result<()> {
    if let Some(shared) = shared_of(function) {
        buf.extend_from_slice(shared.encoded());
    }
    Ok(())
}

/// Our function `name` for the settings in `buf`.
fn decode_udaf(name: &str, buf: &[u8]) -> Result<Arc<AggregateUDF>> {
    if buf.is_empty() {
        return Err(DataFusionError::Plan(format!(
            "the aggregate function {name} came without its definitions: is the client a \
             ticketkpi-datafusion of the same version?"
        )));
    }
    let shared: Shared = Arc::new(Definitions::decode(buf)?.resolve()?);
    functions(&shared)
        .into_iter()
        .find(|function| function.name() == name)
        .map(Arc::new)
        .ok_or_else(|| DataFusionError::Plan(format!("{name} is not one of ticketkpi's functions")))
}

/// Ballista's logical codec, with ticketkpi's functions.
#[derive(Debug, Default)]
pub struct LogicalCodec {
    ballista: BallistaLogicalExtensionCodec,
}

impl LogicalExtensionCodec for LogicalCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[LogicalPlan],
        ctx: &TaskContext,
    ) -> Result<Extension> {
        self.ballista.try_decode(buf, inputs, ctx)
    }

    fn try_encode(&self, node: &Extension, buf: &mut Vec<u8>) -> Result<()> {
        self.ballista.try_encode(node, buf)
    }

    fn try_decode_table_provider(
        &self,
        buf: &[u8],
        table_ref: &TableReference,
        schema: SchemaRef,
        ctx: &TaskContext,
    ) -> Result<Arc<dyn TableProvider>> {
        self.ballista
            .try_decode_table_provider(buf, table_ref, schema, ctx)
    }

    fn try_encode_table_provider(
        &self,
        table_ref: &TableReference,
        node: Arc<dyn TableProvider>,
        buf: &mut Vec<u8>,
    ) -> Result<()> {
        self.ballista
            .try_encode_table_provider(table_ref, node, buf)
    }

    fn try_decode_file_format(
        &self,
        buf: &[u8],
        ctx: &TaskContext,
    ) -> Result<Arc<dyn FileFormatFactory>> {
        self.ballista.try_decode_file_format(buf, ctx)
    }

    fn try_encode_file_format(
        &self,
        buf: &mut Vec<u8>,
        node: Arc<dyn FileFormatFactory>,
    ) -> Result<()> {
        self.ballista.try_encode_file_format(buf, node)
    }

    fn try_decode_udaf(&self, name: &str, buf: &[u8]) -> Result<Arc<AggregateUDF>> {
        decode_udaf(name, buf)
    }

    fn try_encode_udaf(&self, node: &AggregateUDF, buf: &mut Vec<u8>) -> Result<()> {
        encode_udaf(node, buf)
    }
}

/// Ballista's physical codec, with ticketkpi's functions.
#[derive(Debug, Default)]
pub struct PhysicalCodec {
    ballista: BallistaPhysicalExtensionCodec,
}

impl PhysicalExtensionCodec for PhysicalCodec {
    fn try_decode(
        &self,
        buf: &[u8],
        inputs: &[Arc<dyn ExecutionPlan>],
        ctx: &TaskContext,
        proto_converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        self.ballista.try_decode(buf, inputs, ctx, proto_converter)
    }

    fn try_encode(
        &self,
        node: Arc<dyn ExecutionPlan>,
        buf: &mut Vec<u8>,
        proto_converter: &dyn PhysicalProtoConverterExtension,
    ) -> Result<()> {
        self.ballista.try_encode(node, buf, proto_converter)
    }

    fn try_decode_udaf(&self, name: &str, buf: &[u8]) -> Result<Arc<AggregateUDF>> {
        decode_udaf(name, buf)
    }

    fn try_encode_udaf(&self, node: &AggregateUDF, buf: &mut Vec<u8>) -> Result<()> {
        encode_udaf(node, buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_function_travels_as_its_definitions_and_comes_back_the_same() {
        let shared: Shared = Arc::new(Definitions::defaults(42).resolve().unwrap());
        for function in functions(&shared) {
            let mut buf = Vec::new();
            encode_udaf(&function, &mut buf).unwrap();
            assert_eq!(buf, shared.encoded());
            let back = decode_udaf(function.name(), &buf).unwrap();
            assert_eq!(back.name(), function.name());
            let back_shared = shared_of(&back).unwrap();
            assert_eq!(back_shared.definitions, shared.definitions);
        }
    }

    #[test]
    fn a_function_without_definitions_is_a_clear_error() {
        let error = decode_udaf("ticket_fold", &[]).unwrap_err().to_string();
        assert!(error.contains("same version"), "{error}");
    }
}
