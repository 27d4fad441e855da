#include "platform/offline_status.hpp"

#include "app/offline.hpp"
#include "platform/page.hpp"
#include <invites/recipient_export.hpp>

namespace invites::platform {

void publish_offline_status(const app::State& state) {
  using page::publish;
  const app::OfflineState& o = state.offline;
  publish("offlineSync", app::to_string(o.sync));
  publish("offlineHave", o.have_snapshot ? 1.0 : 0.0);
  publish("offlineReceived", static_cast<double>(o.received));
  publish("offlineTotal", static_cast<double>(o.total));
  publish("offlineDataAsOf", o.have_snapshot ? invites::readable_utc(o.data_as_of).c_str() : "");
  publish("offlineContacts", static_cast<double>(o.contacts));
  publish("offlineBytes", static_cast<double>(o.snapshot_bytes));
  publish("offlineDecodeMs", o.decode_ms);
  publish("offlineSyncError", o.sync_error.c_str());
  publish("offlineNotice", o.notice.c_str());
  publish("offline", o.offline ? 1.0 : 0.0);
  publish("offlineChosen", o.chosen ? 1.0 : 0.0);
  publish("offlineReason", o.reason.c_str());
  publish("offlineSession", o.session_from_cache ? 1.0 : 0.0);
  publish("previewOffline", app::preview_is_offline(state) ? 1.0 : 0.0);
  publish("previewId", state.preview.preview_id.c_str());
  publish("previewDigest", state.preview.digest.c_str());
  publish("previewAsOf", state.preview.has_result ? app::data_as_of(state.preview).c_str() : "");
  publish("canSend", app::can_send(state) ? 1.0 : 0.0);
  publish("sendBlockedReason", app::offline_block_reason(state).c_str());
  publish("estimate", o.has_estimate ? 1.0 : 0.0);
  publish("estimateNewUsers", o.has_estimate ? static_cast<double>(o.estimate.new_users) : -1.0);
  publish("estimatePendingInvites", o.has_estimate ? static_cast<double>(o.estimate.pending_invites) : -1.0);
  publish("estimateSkippedInvalidEmail", o.has_estimate ? static_cast<double>(o.estimate.skipped_invalid_email) : -1.0);
  publish("estimateExcludedExisting", o.has_estimate ? static_cast<double>(o.estimate.excluded_existing) : -1.0);
  publish("estimateSkippedSuppressed", o.has_estimate ? static_cast<double>(o.estimate.skipped_suppressed) : -1.0);
  publish("estimateMs", o.estimate_ms);
}

}  // namespace invites::platform
