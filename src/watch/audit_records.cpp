#include "watch/audit_records.hpp"

#include <auparse.h>

#include <string>
#include <unordered_set>

#include "core/text.hpp"
#include "watch/clock.hpp"

namespace vigil::watch {

namespace {

// The record types of a syscall event, by their names in audit.log (auparse reads that form).
std::string_view record_name(int type) {
  switch (type) {
    case 1300: return "SYSCALL";
    case 1302: return "PATH";
    case 1307: return "CWD";
    case 1309: return "EXECVE";
    case 1320: return "EOE";
    case 1327: return "PROCTITLE";
    default: return {};
  }
}

// The field `name` of the current record, interpreted (unquoted, hex decoded) or raw.
std::string field(auparse_state_t* au, std::string_view name, bool interpret) {
  if (auparse_first_field(au) <= 0) return {};
  do {
    const char* n = auparse_get_field_name(au);
    if (n && name == n) {
      const char* v = interpret ? auparse_interpret_field(au) : auparse_get_field_str(au);
      return v ? v : "";
    }
  } while (auparse_next_field(au) > 0);
  return {};
}

std::int64_t number(auparse_state_t* au, std::string_view name) {
  return to_number<std::int64_t>(field(au, name, false)).value_or(-1);
}

// The serial number of a record: audit(SECONDS.MS:SERIAL).
std::string_view serial_of(std::string_view text) {
  auto colon = text.find(':');
  auto close = text.find(')');
  if (colon == std::string_view::npos || close == std::string_view::npos || close < colon) return {};
  return text.substr(colon + 1, close - colon - 1);
}

// Events begun and not yet ended (EOE) beyond which the assembler gives up waiting.
constexpr std::size_t kMaxOpen = 64;
constexpr std::int64_t kOpenMs = 2000;

}  // namespace

struct AuditAssembler::Impl {
  auparse_state_t* au = nullptr;
  // Serials whose end (EOE) has not come: auparse completes an event only when the next one
  // begins, so once none is open it is told to finish what it holds - an exec on a quiet
  // host is reported at once, not at the next exec.
  std::unordered_set<std::string> open;
  std::int64_t open_since_ms = 0;  // when `open` last stopped being empty
  std::vector<KernelEvent>* out = nullptr;
  AuditAssembler* owner = nullptr;

  static void ready(auparse_state_t* au, auparse_cb_event_t type, void* user) {
    if (type == AUPARSE_CB_EVENT_READY) static_cast<Impl*>(user)->event(au);
  }

  void event(auparse_state_t* au) {
    if (auparse_first_record(au) <= 0) return;
    KernelEvent e;
    bool exec = false;
    std::int64_t argc = -1;
    do {
      const int type = auparse_get_type(au);
      if (type == 1300) {
        const auto syscall = field(au, "syscall", true);
        if ((syscall != "execve" && syscall != "execveat") || field(au, "success", false) != "yes") return;
        exec = true;
        e.kind = KernelEvent::Kind::exec;
        e.pid = e.tid = number(au, "pid");
        e.ppid = number(au, "ppid");
        e.uid = number(au, "uid");
        e.comm = field(au, "comm", true);
        e.path = field(au, "exe", true);
      } else if (type == 1309) {
        argc = number(au, "argc");
        for (std::int64_t i = 0; i < argc && i < 4096; ++i) {
          auto a = field(au, "a" + std::to_string(i), true);
          if (a.empty() && field(au, "a" + std::to_string(i), false).empty()) break;  // split or cut records
          e.argv.push_back(std::move(a));
        }
      }
    } while (auparse_next_record(au) > 0);
    if (!exec) return;
    if (e.pid <= 0 || e.path.empty() || e.path.front() != '/') {
      ++owner->malformed_;
      return;
    }
    if (e.argv.empty() && !e.comm.empty()) e.argv.push_back(e.comm);
    out->push_back(std::move(e));
  }
};

AuditAssembler::AuditAssembler() : impl_(std::make_unique<Impl>()) {
  impl_->owner = this;
  impl_->au = auparse_init(AUSOURCE_FEED, nullptr);
  if (impl_->au) {
    auparse_set_escape_mode(impl_->au, AUPARSE_ESC_RAW);
    auparse_add_callback(impl_->au, &Impl::ready, impl_.get(), nullptr);
  }
}

AuditAssembler::~AuditAssembler() {
  if (impl_->au) auparse_destroy(impl_->au);
}

void AuditAssembler::feed(int type, std::string_view text, std::vector<KernelEvent>& out) {
  auto name = record_name(type);
  if (name.empty() || !impl_->au) return;
  // A record is one line: anything after a NUL or newline is not part of it.
  text = text.substr(0, text.find_first_of(std::string_view("\0\n", 2)));
  if (!text.starts_with("audit(")) return;
  std::string line = "type=" + std::string(name) + " msg=" + std::string(text) + "\n";
  impl_->out = &out;
  auparse_feed(impl_->au, line.data(), line.size());
  auto serial = std::string(serial_of(text));
  if (type == 1320) {
    impl_->open.erase(serial);
  } else {
    if (impl_->open.empty()) impl_->open_since_ms = monotonic_ms();
    impl_->open.insert(std::move(serial));
  }
  if (impl_->open.empty() || impl_->open.size() > kMaxOpen) {
    impl_->open.clear();
    auparse_flush_feed(impl_->au);
  }
  impl_->out = nullptr;
}

void AuditAssembler::age(std::vector<KernelEvent>& out, bool all) {
  if (!impl_->au) return;
  impl_->out = &out;
  // An event whose end was lost keeps the others waiting: after 2 s, everything is finished.
  if (all || (!impl_->open.empty() && monotonic_ms() - impl_->open_since_ms > kOpenMs)) {
    impl_->open.clear();
    auparse_flush_feed(impl_->au);
  } else {
    auparse_feed_age_events(impl_->au);
  }
  impl_->out = nullptr;
}

}  // namespace vigil::watch
