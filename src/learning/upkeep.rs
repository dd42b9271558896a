//! The log's housekeeping while the bot runs: pruning past the retention period (at
//! start, then daily) and the pending-suggestions gauge (every few minutes). Failures
//! are logged and retried on the next round; they never stop the bot.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use super::db::Database;
use super::suggest;
use super::LearningMetrics;
use crate::config::{LearningSettings, PrivacySettings};
use crate::store::Store;

const PRUNE_EVERY: Duration = Duration::from_secs(24 * 3600);
const GAUGE_EVERY: Duration = Duration::from_secs(600);

/// Runs until `stop` completes.
pub async fn run(
    db: Database,
    store: Arc<Store>,
    privacy: PrivacySettings,
    learning: LearningSettings,
    metrics: LearningMetrics,
    stop: impl Future<Output = ()>,
) {
    tokio::pin!(stop);
    let mut prune = tokio::time::interval(PRUNE_EVERY);
    let mut gauge = tokio::time::interval(GAUGE_EVERY);
    loop {
        tokio::select! {
            () = &mut stop => return,
            _ = prune.tick() => match db.prune(privacy.retention_days).await {
                Ok(p) => tracing::info!(
                    questions = p.questions,
                    votes = p.votes,
                    resolutions = p.resolutions,
                    retention_days = privacy.retention_days,
                    "question log pruned"
                ),
                Err(e) => tracing::warn!("pruning the question log failed (retried tomorrow): {e}"),
            },
            _ = gauge.tick() => {
                suggest::refresh_gauge(&db, &store, &learning, &metrics.suggestions_pending).await;
            }
        }
    }
}
