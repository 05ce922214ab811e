// Fuzz target: a whole log file as vigil logs reads it - gzip detection and inflation, the
// binary/text sieve (NUL runs, binary regions, UTF-8), line cutting with a small line limit,
// each block matched against the auth and web rules by the engine.
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include <string>

#include "core/host_files.hpp"
#include "fuzz.hpp"
#include "logs/engine.hpp"
#include "logs/inputs.hpp"

namespace {

const vigil::logs::LogRules& rules() {
  static const vigil::logs::LogRules r = vigil::logs::load_log_rules({vigil::default_rules_dir() + "/logs"});
  return r;
}

std::string gzipped(const std::string& text) {
  std::string out(compressBound(text.size()) + 64, '\0');
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int fd = ::memfd_create("fuzz-log", MFD_CLOEXEC);
  if (fd < 0) return 0;
  if (size && ::write(fd, data, size) != static_cast<ssize_t>(size)) {
    ::close(fd);
    return 0;
  }
  vigil::logs::ReadLimits limits;
  limits.block_size = 4096;
  limits.max_line = 512;
  vigil::logs::LogEngine engine(rules());
  vigil::logs::SourceCursor cursor;
  vigil::logs::Input in{"/proc/self/fd/" + std::to_string(fd), false};
  std::string path = in.path;
  (void)vigil::logs::read_input(in, 0, limits, [&](vigil::logs::Block&& b) {
    cursor.detect(b.data);
    std::string_view rest = b.data;
    while (!rest.empty()) {
      auto nl = rest.find('\n');
      engine.feed(cursor, rest.substr(0, nl), path);
      rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    }
  });
  (void)engine.finish();
  ::close(fd);
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  std::string auth = "Dec 10 06:55:46 h sshd[1]: Failed password for root from 1.2.3.4 port 2 ssh2\n";
  std::string web = "1.2.3.4 - - [10/Oct/2004:04:20:13 -0400] \"GET /scripts/..%c0%af../cmd.exe HTTP/1.0\" 404 1 \"-\" \"-\"\n";
  std::string mixed = auth + std::string(300, '\0') + web + "\x01\x02\xff\xfe binary\n" + auth;
  return {auth, web, mixed, gzipped(auth + web), gzipped(mixed).substr(0, 40), std::string(5000, 'A') + "\n" + auth};
}
