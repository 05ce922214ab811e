#include "watch/bpf_events.hpp"

#include <arpa/inet.h>

#include <cerrno>
#include <cstring>

#include "collect/proc_parse.hpp"
#include "process_events.h"

#if defined(VIGIL_HAVE_BPF)
#include <bpf/libbpf.h>

#include "process_events.skel.h"
#endif

namespace vigil::watch {

std::string_view kind_name(KernelEvent::Kind k) {
  switch (k) {
    case KernelEvent::Kind::exec: return "exec";
    case KernelEvent::Kind::fork: return "fork";
    case KernelEvent::Kind::exit: return "exit";
    case KernelEvent::Kind::connect: return "connect";
    case KernelEvent::Kind::bind: return "bind";
    case KernelEvent::Kind::accept: return "accept";
  }
  return "?";
}

namespace {

std::string bounded_string(const char* p, std::size_t max) { return std::string(p, ::strnlen(p, max)); }

}  // namespace

expected<KernelEvent, std::string> parse_bpf_event(std::string_view record) {
  constexpr std::size_t kShort = offsetof(vigil_event, args_len);
  if (record.size() < kShort)
    return make_unexpected("a BPF event of " + std::to_string(record.size()) + " bytes, shorter than its header");
  vigil_event e{};
  std::memcpy(&e, record.data(), std::min(record.size(), sizeof e));
  KernelEvent k;
  switch (e.kind) {
    case VIGIL_EV_EXEC: k.kind = KernelEvent::Kind::exec; break;
    case VIGIL_EV_FORK: k.kind = KernelEvent::Kind::fork; break;
    case VIGIL_EV_EXIT: k.kind = KernelEvent::Kind::exit; break;
    case VIGIL_EV_CONNECT: k.kind = KernelEvent::Kind::connect; break;
    case VIGIL_EV_BIND: k.kind = KernelEvent::Kind::bind; break;
    case VIGIL_EV_ACCEPT: k.kind = KernelEvent::Kind::accept; break;
    default: return make_unexpected("a BPF event of unknown kind " + std::to_string(e.kind));
  }
  k.pid = e.pid;
  k.tid = e.tid;
  k.ppid = e.ppid;
  k.uid = e.uid;
  k.exit_code = e.exit_code;
  k.boot_ns = e.boot_ns;
  k.comm = bounded_string(e.comm, sizeof e.comm);
  if (k.kind == KernelEvent::Kind::exec) {
    if (record.size() < sizeof e) return make_unexpected(std::string("an exec event cut short"));
    k.path = bounded_string(e.path, sizeof e.path);
    k.argv = collect::parse_cmdline(std::string_view(e.args, std::min<std::size_t>(e.args_len, sizeof e.args)));
  } else if (k.kind == KernelEvent::Kind::connect || k.kind == KernelEvent::Kind::bind ||
             k.kind == KernelEvent::Kind::accept) {
    k.fd = e.fd;
    k.sock_type = e.sock_type;
    k.family = e.family;
    k.port = e.port;
    char text[INET6_ADDRSTRLEN] = {};
    if (e.family == AF_INET) ::inet_ntop(AF_INET, e.addr, text, sizeof text);
    else if (e.family == AF_INET6) ::inet_ntop(AF_INET6, e.addr, text, sizeof text);
    else return make_unexpected("a socket event of address family " + std::to_string(e.family));
    k.ip = text;
  }
  return k;
}

#if defined(VIGIL_HAVE_BPF)

struct BpfEvents::Impl {
  vigil_process_events* skel = nullptr;
  ring_buffer* rb = nullptr;
  const std::function<void(const KernelEvent&)>* on_event = nullptr;
  std::uint64_t* malformed = nullptr;

  ~Impl() {
    if (rb) ring_buffer__free(rb);
    if (skel) vigil_process_events__destroy(skel);
  }

  static int on_record(void* ctx, void* data, size_t size) {
    auto* self = static_cast<Impl*>(ctx);
    auto e = parse_bpf_event(std::string_view(static_cast<const char*>(data), size));
    if (!e) ++*self->malformed;
    else (*self->on_event)(*e);
    return 0;
  }
};

BpfEvents::BpfEvents() = default;
BpfEvents::~BpfEvents() = default;

namespace {

// libbpf prints the verifier's log on stderr by default; the daemon reports one line instead.
int quiet(enum libbpf_print_level, const char*, va_list) { return 0; }

}  // namespace

expected<void, std::string> BpfEvents::open(std::int64_t self) {
  libbpf_set_print(quiet);
  auto impl = std::make_unique<Impl>();
  impl->malformed = &malformed_;
  impl->skel = vigil_process_events__open();
  if (!impl->skel) return make_unexpected(std::string("BPF: cannot open the program: ") + std::strerror(errno));
  impl->skel->rodata->self_pid = static_cast<__u32>(self);
  if (int err = vigil_process_events__load(impl->skel); err != 0)
    return make_unexpected(std::string("BPF: the kernel refused the program: ") + std::strerror(-err));
  if (int err = vigil_process_events__attach(impl->skel); err != 0)
    return make_unexpected(std::string("BPF: cannot attach to the tracepoints: ") + std::strerror(-err));
  impl->rb = ring_buffer__new(bpf_map__fd(impl->skel->maps.events), &Impl::on_record, impl.get(), nullptr);
  if (!impl->rb) return make_unexpected(std::string("BPF: ring buffer: ") + std::strerror(errno));
  impl_ = std::move(impl);
  return {};
}

int BpfEvents::fd() const { return impl_ ? ring_buffer__epoll_fd(impl_->rb) : -1; }

void BpfEvents::read(const std::function<void(const KernelEvent&)>& on_event) {
  if (!impl_) return;
  impl_->on_event = &on_event;
  ring_buffer__consume(impl_->rb);
  impl_->on_event = nullptr;
}

std::uint64_t BpfEvents::dropped() const {
  return impl_ ? __atomic_load_n(&impl_->skel->bss->dropped, __ATOMIC_RELAXED) : 0;
}

#else

struct BpfEvents::Impl {};
BpfEvents::BpfEvents() = default;
BpfEvents::~BpfEvents() = default;
expected<void, std::string> BpfEvents::open(std::int64_t) {
  return make_unexpected(std::string("BPF: this vigil was built without it (") + VIGIL_BPF_MISSING + ")");
}
int BpfEvents::fd() const { return -1; }
void BpfEvents::read(const std::function<void(const KernelEvent&)>&) {}
std::uint64_t BpfEvents::dropped() const { return 0; }

#endif

}  // namespace vigil::watch
