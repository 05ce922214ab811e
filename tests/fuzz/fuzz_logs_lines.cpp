// Fuzz target: every log line parser through LineParser (syslog and auth messages, access,
// error, W3C with its #Fields: state, JSON lines), format detection and URL decoding.
#include <string_view>

#include "fuzz.hpp"
#include "logs/decode.hpp"
#include "logs/line_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  auto format = vigil::logs::detect_format(s);
  vigil::logs::LineParser parser({2024, 6}, format);
  vigil::logs::Event e;
  std::string decoded;
  std::size_t n = 0, pos = 0;
  while (pos <= s.size()) {
    auto nl = s.find('\n', pos);
    auto line = s.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (parser.parse(line, e) == vigil::logs::ParseResult::event)
      for (auto f : e.fields) n += f.size();
    n += vigil::logs::decode_web(line, decoded);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return static_cast<int>(n * 0);
}

std::vector<std::string> fuzz_seeds() {
  return {"Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port "
          "38926 ssh2\nJun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; rhost=218.188.2.4\n"
          "<34>1 2024-01-02T03:04:05.1Z host sudo 77 - [x a=\"b\"] alice : TTY=pts/0 ; USER=root ; COMMAND=/bin/bash\n",
          "1.2.3.4 - - [10/Oct/2004:04:20:13 -0400] \"GET /scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir HTTP/1.0\" "
          "404 276 \"-\" \"${${lower:j}ndi:ldap://x/a}\"\n\"5.6.7.8 - - [22/Dec/2016:16:30:52 +0300] \"POST / HTTP/1.1\" "
          "303 382 \"-\" \"UA\"\"\n",
          "#Software: IIS\n#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent)\n"
          "2019-09-03 10:13:36 10.0.2.17 GET /erp/conn.aspx proxy&port=3389&ip=127.0.0.1 200 Mozilla\n"
          "#Fields: date time c-ip\n2019-09-03 10:13:37 1.1.1.1\n",
          "{\"source\":{\"ip\":\"1.2.3.4\"},\"url\":{\"original\":\"/a?b=%2527\"},\"@timestamp\":\"2024-01-01T00:00:00Z\"}\n"
          "[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] File does not exist: /var/www/scripts\n"
          "2024/01/02 03:04:05 [error] 12#0: *1 open() failed, client: 9.9.9.9, server: x\n"};
}
