// Fuzz target: a buffer of fanotify events with file id records (FAN_REPORT_DFID_NAME): event
// metadata, info headers, file handles and names. Whatever the bytes, records or an error -
// never a read past them, never a handle longer than its record.
#include <fcntl.h>
#include <sys/fanotify.h>

#include <cstring>
#include <string_view>

#include "fuzz.hpp"
#include "watch/file_events.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<vigil::watch::FanotifyRecord> out;
  (void)vigil::watch::parse_fanotify(std::string_view(reinterpret_cast<const char*>(data), size), out);
  for (const auto& r : out)
    if (r.handle.size() > size || r.name.size() > size) __builtin_trap();
  return 0;
}

namespace {

// One event: metadata, then a DFID_NAME record with an 8-byte handle and `name`.
std::string event(std::uint64_t mask, const std::string& name) {
  std::string info;
  fanotify_event_info_header h{};
  h.info_type = FAN_EVENT_INFO_TYPE_DFID_NAME;
  std::string handle(sizeof(file_handle) + 8, '\0');
  std::uint32_t bytes = 8;
  std::memcpy(handle.data(), &bytes, 4);
  std::string body(sizeof(__kernel_fsid_t), '\x01');
  body += handle + name + '\0';
  h.len = static_cast<std::uint16_t>(sizeof h + body.size());
  info.append(reinterpret_cast<const char*>(&h), sizeof h);
  info += body;
  fanotify_event_metadata m{};
  m.event_len = static_cast<std::uint32_t>(sizeof m + info.size());
  m.vers = FANOTIFY_METADATA_VERSION;
  m.metadata_len = sizeof m;
  m.mask = mask;
  m.fd = FAN_NOFD;
  m.pid = 4242;
  return std::string(reinterpret_cast<const char*>(&m), sizeof m) + info;
}

}  // namespace

std::vector<std::string> fuzz_seeds() {
  fanotify_event_metadata overflow{};
  overflow.event_len = sizeof overflow;
  overflow.vers = FANOTIFY_METADATA_VERSION;
  overflow.metadata_len = sizeof overflow;
  overflow.mask = FAN_Q_OVERFLOW;
  overflow.fd = FAN_NOFD;
  return {event(FAN_MODIFY, "app.conf"), event(FAN_CREATE | FAN_ONDIR, "new.d") + event(FAN_ATTRIB, "x"),
          std::string(reinterpret_cast<const char*>(&overflow), sizeof overflow)};
}
