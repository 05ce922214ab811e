// A sink whose queue is a spool file, delivering through a transport that may be down: what
// was sent counts as delivered only once the transport says the receiver has it (TCP: the peer
// acknowledged every byte), so a receiver that restarts gets what it missed again.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "watch/clock.hpp"
#include "watch/sink.hpp"
#include "watch/spool.hpp"

namespace vigil::watch {

class Transport {
 public:
  virtual ~Transport() = default;
  // Connected, or a connection attempt (with backoff) succeeded; `error` says why not.
  virtual bool ready(std::string& error) = 0;
  enum class Sent { ok, later, too_big, failed };
  // One finding (its JSON line). `failed`: the connection is dropped; the next ready()
  // reconnects and everything not acknowledged is sent again.
  virtual Sent send(std::string_view line, std::string& error) = 0;
  // Everything sent so far has reached the receiver, as far as this transport can tell.
  virtual bool acknowledged() { return true; }
};

class SpooledSink : public Sink {
 public:
  SpooledSink(SinkConfig c, Spool spool, std::unique_ptr<Transport> t);
  expected<void, std::string> accept(const std::vector<nlohmann::json>& objects) override;
  void pump() override;
  std::vector<std::string> recent_keys() const override;
  bool committed() override { return spool_.compact(); }
  Spool::Mark progress() const override { return spool_.mark(); }
  void restore(Spool::Mark m) override;

 private:
  Spool spool_;
  std::unique_ptr<Transport> transport_;
  std::uint64_t sent_ = 0;        // offset sent up to (>= the spool's delivered offset)
  std::size_t sent_lines_ = 0;    // lines sent and not yet acknowledged
};

// Reconnection pacing: 1 s after a failure, doubling to 30 s; reset by a success.
class Backoff {
 public:
  bool due() const { return monotonic_ms() >= next_; }
  void failed() {
    delay_ = delay_ == 0 ? 1000 : std::min<std::int64_t>(delay_ * 2, 30'000);
    next_ = monotonic_ms() + delay_;
  }
  void succeeded() { delay_ = 0, next_ = 0; }

 private:
  std::int64_t delay_ = 0, next_ = 0;
};

}  // namespace vigil::watch
