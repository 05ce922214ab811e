#include "watch/spooled_sink.hpp"


namespace vigil::watch {

SpooledSink::SpooledSink(SinkConfig c, Spool spool, std::unique_ptr<Transport> t)
    : Sink(std::move(c)), spool_(std::move(spool)), transport_(std::move(t)) {
  sent_ = spool_.delivered();
  stats_.queued = spool_.pending_lines();
}

void SpooledSink::restore(Spool::Mark m) {
  spool_.restore(m);
  sent_ = spool_.delivered();
  sent_lines_ = 0;
  stats_.queued = spool_.pending_lines();
}

expected<void, std::string> SpooledSink::accept(const std::vector<nlohmann::json>& objects) {
  std::vector<std::string> lines;
  lines.reserve(objects.size());
  for (const auto& o : objects) lines.push_back(o.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  auto dropped = spool_.append(lines);
  if (!dropped) return make_unexpected(dropped.error());
  stats_.accepted += objects.size();
  stats_.dropped += *dropped;
  if (sent_ < spool_.delivered()) sent_ = spool_.delivered(), sent_lines_ = 0;  // the oldest were dropped
  stats_.queued = spool_.pending_lines();
  pump();
  return {};
}

void SpooledSink::pump() {
  std::string error;
  if (spool_.pending_bytes() == 0) return;
  if (!transport_->ready(error)) {
    stats_.up = false;
    if (!error.empty()) stats_.last_error = error;
    sent_ = spool_.delivered(), sent_lines_ = 0;  // whatever was in flight goes again
    return;
  }
  stats_.up = true;
  for (bool more = true; more;) {
    auto items = spool_.read_from(sent_, 256);
    more = !items.empty();
    for (const auto& item : items) {
      auto r = transport_->send(item.line, error);
      if (r == Transport::Sent::ok || r == Transport::Sent::too_big) {
        if (r == Transport::Sent::too_big) ++stats_.dropped, stats_.last_error = error;
        sent_ = item.end;
        ++sent_lines_;
        continue;
      }
      if (r == Transport::Sent::failed) {
        stats_.up = false;
        stats_.last_error = error;
        sent_ = spool_.delivered(), sent_lines_ = 0;
      }
      more = false;
      break;
    }
  }
  if (sent_lines_ > 0 && transport_->acknowledged()) {
    stats_.delivered += sent_lines_;
    spool_.mark_delivered(sent_lines_, sent_);
    sent_lines_ = 0;
  }
  stats_.queued = spool_.pending_lines();
}

std::vector<std::string> SpooledSink::recent_keys() const { return keys_in_file_tail(spool_.path()); }

}  // namespace vigil::watch
