#include "watch/pcap_capture.hpp"

#include <pcap/pcap.h>
#include <poll.h>
#include <sys/stat.h>

#include <memory>

namespace vigil::watch {

namespace {

struct PcapClose {
  void operator()(pcap_t* p) const { pcap_close(p); }
};
struct DumpClose {
  void operator()(pcap_dumper_t* d) const { pcap_dump_close(d); }
};

struct Sink {
  pcap_dumper_t* dump = nullptr;
  std::uint64_t packets = 0;
};

void write_packet(u_char* user, const pcap_pkthdr* h, const u_char* bytes) {
  auto* s = reinterpret_cast<Sink*>(user);
  pcap_dump(reinterpret_cast<u_char*>(s->dump), h, bytes);
  ++s->packets;
}

}  // namespace

expected<CaptureResult, std::string> capture_host(const std::string& interface, const std::string& address,
                                                  std::chrono::milliseconds duration, std::int64_t max_size,
                                                  const std::string& path, const std::atomic<bool>& stop) {
  char err[PCAP_ERRBUF_SIZE] = {};
  std::unique_ptr<pcap_t, PcapClose> p(pcap_create(interface.c_str(), err));
  if (!p) return make_unexpected("capture on " + interface + ": " + err);
  pcap_set_snaplen(p.get(), 65535);
  pcap_set_promisc(p.get(), 0);
  pcap_set_timeout(p.get(), 100);
  pcap_set_immediate_mode(p.get(), 1);
  if (int rc = pcap_activate(p.get()); rc < 0)
    return make_unexpected("capture on " + interface + ": " + pcap_geterr(p.get()));
  bpf_program filter{};
  std::string expression = "host " + address;
  if (pcap_compile(p.get(), &filter, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    return make_unexpected("capture filter '" + expression + "': " + pcap_geterr(p.get()));
  int set = pcap_setfilter(p.get(), &filter);
  pcap_freecode(&filter);
  if (set != 0) return make_unexpected("capture filter: " + std::string(pcap_geterr(p.get())));
  std::unique_ptr<pcap_dumper_t, DumpClose> dump(pcap_dump_open(p.get(), path.c_str()));
  if (!dump) return make_unexpected(path + ": " + pcap_geterr(p.get()));
  ::chmod(path.c_str(), 0600);  // traffic: the owner's only
  // Non-blocking, waited for with poll: a quiet host ends the capture on time (a blocking read
  // in immediate mode waits for the next packet, however late).
  const int fd = pcap_get_selectable_fd(p.get());
  if (fd < 0 || pcap_setnonblock(p.get(), 1, err) != 0)
    return make_unexpected("capture on " + interface + ": cannot wait for packets: " + err);
  Sink sink{dump.get()};
  CaptureResult r;
  const auto deadline = std::chrono::steady_clock::now() + duration;
  while (!stop && std::chrono::steady_clock::now() < deadline) {
    pollfd w{fd, POLLIN, 0};
    if (::poll(&w, 1, 100) <= 0) continue;
    int n = pcap_dispatch(p.get(), 256, write_packet, reinterpret_cast<u_char*>(&sink));
    if (n == PCAP_ERROR) return make_unexpected("capture on " + interface + ": " + pcap_geterr(p.get()));
    if (n == PCAP_ERROR_BREAK) break;
    pcap_dump_flush(dump.get());
    if (pcap_dump_ftell64(dump.get()) >= max_size) {
      r.capped = true;
      break;
    }
  }
  pcap_dump_flush(dump.get());
  r.bytes = pcap_dump_ftell64(dump.get());
  r.packets = sink.packets;
  return r;
}

}  // namespace vigil::watch
