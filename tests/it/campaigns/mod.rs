//! `wolkvox::campaign`: against wiremock servers (`client`: exact requests and the live
//! service's answers) and against the simulator (`simulator`: its campaign state, the
//! dialler, and an upload settled by `reconcile` end to end).

mod client;
mod simulator;
