// RFC 5424 syslog over UDP, TCP (octet-counted frames, RFC 6587) and Unix sockets. The message
// is the finding's ECS JSON; the header carries its time, rule id as MSGID, and a structured
// element with rule, severity and fingerprint for receivers that do not parse JSON.
#include <fcntl.h>
#include <linux/sockios.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/unique_fd.hpp"
#include "watch/sink_kinds.hpp"
#include "watch/spooled_sink.hpp"

namespace vigil::watch {

namespace {

// Syslog severity from vigil's: critical → crit (2) … info → info (6).
int syslog_severity(std::string_view s) {
  if (s == "critical") return 2;
  if (s == "high") return 3;
  if (s == "medium") return 4;
  if (s == "low") return 5;
  return 6;
}

// PRINTUSASCII without space, at most `max` characters (RFC 5424 header fields); "-" if empty.
std::string header_field(std::string_view v, std::size_t max) {
  std::string out;
  for (char c : v)
    if (c > 32 && c < 127 && out.size() < max) out += c;
  return out.empty() ? "-" : out;
}

// A PARAM-VALUE: '"', '\' and ']' escaped.
std::string param_value(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += c;
  }
  return out;
}

std::string text_at(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const nlohmann::json* at = &j;
  for (const char* k : path) {
    if (!at->is_object()) return {};
    auto it = at->find(k);
    if (it == at->end()) return {};
    at = &*it;
  }
  return at->is_string() ? at->get<std::string>() : std::string{};
}

}  // namespace

std::string syslog_message(std::string_view json_line, int facility, const std::string& hostname) {
  auto j = nlohmann::json::parse(json_line, nullptr, false);
  if (j.is_discarded()) j = nlohmann::json::object();
  auto severity = text_at(j, {"vigil", "severity"});
  auto time = text_at(j, {"@timestamp"});
  auto rule = text_at(j, {"rule", "id"});
  return fmt::format("<{}>1 {} {} vigil {} {} [vigil@32473 rule=\"{}\" severity=\"{}\" fingerprint=\"{}\"] {}",
                     facility * 8 + syslog_severity(severity), header_field(time, 64), header_field(hostname, 255),
                     ::getpid(), header_field(rule, 32), param_value(rule), param_value(severity),
                     param_value(text_at(j, {"vigil", "fingerprint"})), json_line);
}

namespace {

class SocketTransport : public Transport {
 public:
  SocketTransport(SyslogTransport kind, std::vector<char> addr, socklen_t len, int family, int facility,
                  std::string where)
      : kind_(kind), addr_(std::move(addr)), len_(len), family_(family), facility_(facility), where_(std::move(where)) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    hostname_ = host;
  }

  bool ready(std::string& error) override {
    if (fd_.get() >= 0 && connecting_) finish_connect(error);
    if (fd_.get() >= 0 && !connecting_ && kind_ != SyslogTransport::udp && peer_closed()) {
      error = where_ + ": the receiver closed the connection";
      fd_.reset();
      backoff_.failed();
    }
    if (fd_.get() >= 0) return !connecting_;
    if (!backoff_.due()) return false;
    int type = kind_ == SyslogTransport::tcp ? SOCK_STREAM : stream_unix_ ? SOCK_STREAM : SOCK_DGRAM;
    fd_ = UniqueFd(::socket(family_, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (fd_.get() < 0) {
      error = where_ + ": " + std::strerror(errno);
      backoff_.failed();
      return false;
    }
    if (::connect(fd_.get(), reinterpret_cast<const sockaddr*>(addr_.data()), len_) == 0) {
      backoff_.succeeded();
      return true;
    }
    if (errno == EINPROGRESS) {
      connecting_ = true;
      return false;  // the next tick finishes it
    }
    if (errno == EPROTOTYPE && kind_ == SyslogTransport::unix_ && !stream_unix_) {
      stream_unix_ = true;  // a stream socket at that path: octet-counted frames
      fd_.reset();
      return ready(error);
    }
    error = where_ + ": " + std::strerror(errno);
    fd_.reset();
    backoff_.failed();
    return false;
  }

  Sent send(std::string_view line, std::string& error) override {
    std::string msg = syslog_message(line, facility_, hostname_);
    bool stream = kind_ == SyslogTransport::tcp || stream_unix_;
    if (!stream && msg.size() > 65'000) {
      error = where_ + ": a finding of " + std::to_string(msg.size()) + " bytes does not fit a datagram";
      return Sent::too_big;
    }
    if (stream) msg = std::to_string(msg.size()) + " " + msg;
    if (stream && !partial_.empty()) {
      if (!flush_partial(error)) return error.empty() ? Sent::later : Sent::failed;
    }
    ssize_t n = ::send(fd_.get(), msg.data(), msg.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n == static_cast<ssize_t>(msg.size())) return Sent::ok;
    if (n >= 0 && stream) {
      partial_ = msg.substr(static_cast<std::size_t>(n));  // the frame is finished before the next
      return Sent::ok;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) return Sent::later;
    error = where_ + ": " + std::strerror(n < 0 ? errno : EIO);
    fd_.reset();
    partial_.clear();
    backoff_.failed();
    return Sent::failed;
  }

  bool acknowledged() override {
    if (kind_ != SyslogTransport::tcp) return partial_.empty();
    if (!partial_.empty()) {
      std::string error;
      if (!flush_partial(error)) return false;
    }
    int unacked = 0;
    return fd_.get() >= 0 && ::ioctl(fd_.get(), SIOCOUTQ, &unacked) == 0 && unacked == 0;
  }

 private:
  void finish_connect(std::string& error) {
    pollfd p{fd_.get(), POLLOUT, 0};
    if (::poll(&p, 1, 0) != 1) return;  // still connecting
    int so = 0;
    socklen_t len = sizeof so;
    ::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &so, &len);
    connecting_ = false;
    if (so == 0) {
      backoff_.succeeded();
      return;
    }
    error = where_ + ": " + std::strerror(so);
    fd_.reset();
    backoff_.failed();
  }

  // The receiver closed its end (or reset it): a read would see end of file or an error.
  bool peer_closed() {
    pollfd p{fd_.get(), POLLIN | POLLRDHUP, 0};
    if (::poll(&p, 1, 0) != 1) return false;
    if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) return true;
    char c;
    ssize_t n = ::recv(fd_.get(), &c, 1, MSG_DONTWAIT);
    return n == 0;  // a receiver that talks back is ignored
  }

  bool flush_partial(std::string& error) {
    ssize_t n = ::send(fd_.get(), partial_.data(), partial_.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
      error = where_ + ": " + std::strerror(errno);
      fd_.reset();
      partial_.clear();
      backoff_.failed();
      return false;
    }
    partial_.erase(0, static_cast<std::size_t>(n));
    return partial_.empty();
  }

  SyslogTransport kind_;
  std::vector<char> addr_;
  socklen_t len_;
  int family_, facility_;
  std::string where_, hostname_, partial_;
  UniqueFd fd_;
  bool connecting_ = false, stream_unix_ = false;
  Backoff backoff_;
};

}  // namespace

expected<std::unique_ptr<Sink>, std::string> open_syslog_sink(const SinkConfig& c, const std::string& state_dir) {
  std::vector<char> addr;
  socklen_t len = 0;
  int family = AF_UNIX;
  std::string where = "syslog sink " + c.name + " (" + c.address + ")";
  if (c.transport == SyslogTransport::unix_) {
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    if (c.address.size() >= sizeof un.sun_path) return make_unexpected(where + ": the socket path is too long");
    std::memcpy(un.sun_path, c.address.data(), c.address.size());
    addr.assign(reinterpret_cast<char*>(&un), reinterpret_cast<char*>(&un) + sizeof un);
    len = sizeof un;
  } else {
    // host:port or [v6]:port; the name is resolved once, at start.
    auto colon = c.address.rfind(':');
    if (colon == std::string::npos || colon + 1 == c.address.size())
      return make_unexpected(where + ": expected host:port");
    std::string host = c.address.substr(0, colon), port = c.address.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    addrinfo hints{};
    hints.ai_socktype = c.transport == SyslogTransport::tcp ? SOCK_STREAM : SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* res = nullptr;
    if (int r = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); r != 0 || !res)
      return make_unexpected(where + ": " + ::gai_strerror(r));
    addr.assign(reinterpret_cast<char*>(res->ai_addr), reinterpret_cast<char*>(res->ai_addr) + res->ai_addrlen);
    len = res->ai_addrlen;
    family = res->ai_family;
    ::freeaddrinfo(res);
  }
  auto spool = Spool::open(state_dir + "/spool-" + c.name + ".jsonl", static_cast<std::uint64_t>(c.buffer));
  if (!spool) return make_unexpected(spool.error());
  auto t = std::make_unique<SocketTransport>(c.transport, std::move(addr), len, family, c.facility, where);
  return std::unique_ptr<Sink>(std::make_unique<SpooledSink>(c, std::move(*spool), std::move(t)));
}

}  // namespace vigil::watch
