//! ticketkpi on DataFusion.
