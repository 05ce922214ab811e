// Log parsers, decoding and input ordering.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "logs/decode.hpp"
#include "logs/inputs.hpp"
#include "logs/line_parser.hpp"
#include "logs/timestamp.hpp"

using namespace vigil::logs;

namespace {

// The event's values may point into the parser (JSON values): each parser lives to the end.
Event parse(std::string_view line, LogFormat hint = LogFormat::unknown) {
  static std::vector<std::unique_ptr<LineParser>> parsers;
  auto& p = *parsers.emplace_back(std::make_unique<LineParser>(YearReference{2024, 6}, hint));
  Event e;
  EXPECT_EQ(p.parse(line, e), ParseResult::event) << line;
  return e;
}

}  // namespace

TEST(LogsSyslog, ClassicSshdFailureIsNormalised) {
  auto e = parse("Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 "
                 "port 38926 ssh2");
  EXPECT_EQ(e.get(Field::process_name), "sshd");
  EXPECT_EQ(e.get(Field::process_pid), "24200");
  EXPECT_EQ(e.get(Field::event_action), "ssh-login");
  EXPECT_EQ(e.get(Field::event_outcome), "failure");
  EXPECT_EQ(e.get(Field::user_name), "webmaster");
  EXPECT_EQ(e.get(Field::source_ip), "173.234.31.186");
  EXPECT_EQ(e.get(Field::source_port), "38926");
  EXPECT_EQ(e.time, epoch_seconds(2023, 12, 10, 6, 55, 46));  // December before a June mtime: last year
}

TEST(LogsSyslog, AcceptedSudoUseraddAndLegacyPam) {
  auto a = parse("Mar  8 10:17:01 h sshd[1]: Accepted password for nssal from 137.30.123.91 port 2222 ssh2");
  EXPECT_EQ(a.get(Field::event_outcome), "success");
  EXPECT_EQ(a.get(Field::user_name), "nssal");
  EXPECT_EQ(a.time, epoch_seconds(2024, 3, 8, 10, 17, 1));
  auto s = parse("Jan  1 00:00:00 h sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash");
  EXPECT_EQ(s.get(Field::event_action), "sudo");
  EXPECT_EQ(s.get(Field::user_name), "alice");
  EXPECT_EQ(s.get(Field::user_target), "root");
  EXPECT_EQ(s.get(Field::command_line), "/bin/bash");
  auto f = parse("Jan  1 00:00:00 h sudo:    bob : 3 incorrect password attempts ; TTY=pts/1 ; USER=root ; COMMAND=/x");
  EXPECT_EQ(f.get(Field::event_outcome), "failure");
  auto u = parse("Dec 21 17:13:54 t useradd[1337]: new user: name=john, UID=0, GID=0, home=/home/john, shell=/bin/bash");
  EXPECT_EQ(u.get(Field::event_action), "user-add");
  EXPECT_EQ(u.get(Field::user_target), "john");
  auto l = parse("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 "
                 "tty=NODEVssh ruser= rhost=218.188.2.4 ");
  EXPECT_EQ(l.get(Field::process_name), "sshd") << "sshd's own record, through PAM";
  EXPECT_EQ(l.get(Field::event_action), "login");
  EXPECT_EQ(l.get(Field::source_ip), "218.188.2.4");
  auto b = parse("Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.example.com "
                 "[173.234.31.186] failed - POSSIBLE BREAK-IN ATTEMPT!");
  EXPECT_EQ(b.get(Field::event_action), "ssh-break-in-attempt");
  EXPECT_EQ(b.get(Field::source_ip), "173.234.31.186");
}

TEST(LogsSyslog, Rfc5424AndIsoTimestamps) {
  auto r = parse("<38>1 2024-01-02T03:04:05.123+01:00 web sshd 77 ID47 [ex a=\"]\"] Invalid user bob from 10.0.0.1 port 1");
  EXPECT_EQ(r.get(Field::host_hostname), "web");
  EXPECT_EQ(r.get(Field::event_action), "ssh-invalid-user");
  EXPECT_EQ(r.time, epoch_seconds(2024, 1, 2, 2, 4, 5));
  auto i = parse("2024-05-06T07:08:09.5Z host su[3]: (to root) alice on pts/0");
  EXPECT_EQ(i.get(Field::event_action), "su");
  EXPECT_EQ(i.get(Field::user_target), "root");
}

TEST(LogsWeb, CombinedQuotedAndBinaryRequests) {
  auto e = parse("1.2.3.4 - frank [10/Oct/2004:04:20:13 -0400] \"GET /a/b.php?x=1 HTTP/1.0\" 404 276 "
                 "\"http://r/\" \"Mozilla/5.0 (X)\"");
  EXPECT_EQ(e.family, LogFamily::web);
  EXPECT_EQ(e.get(Field::source_ip), "1.2.3.4");
  EXPECT_EQ(e.get(Field::user_name), "frank");
  EXPECT_EQ(e.get(Field::url_original), "/a/b.php?x=1");
  EXPECT_EQ(e.get(Field::url_path), "/a/b.php");
  EXPECT_EQ(e.get(Field::url_query), "x=1");
  EXPECT_EQ(e.get(Field::http_status), "404");
  EXPECT_EQ(e.get(Field::user_agent), "Mozilla/5.0 (X)");
  EXPECT_EQ(e.time, epoch_seconds(2004, 10, 10, 8, 20, 13));
  // An export that wraps every line in quotes (ocatak scanner logs).
  auto q = parse("\"192.168.4.25 - - [22/Dec/2016:16:30:52 +0300] \"POST /index.php HTTP/1.1\" 303 382 \"-\" \"UA\"\"");
  EXPECT_EQ(q.get(Field::http_method), "POST");
  EXPECT_EQ(q.get(Field::user_agent), "UA");
  // TLS bytes sent to an HTTP port (the Tomcat log): parsed, not fatal.
  static const char tls[] = "192.168.105.83 - - [11/Jul/2018:09:32:02 +0300] \"\x16\x03\x01\x02\x00\x01\xfc\" 400 -\r";
  auto t = parse(std::string_view(tls, sizeof tls - 1));
  EXPECT_EQ(t.get(Field::http_status), "400");
}

TEST(LogsWeb, W3cFollowsItsFieldsHeaderMidFile) {
  LineParser p({2024, 6});
  Event e;
  EXPECT_EQ(p.parse("#Software: Microsoft Internet Information Services 10.0", e), ParseResult::directive);
  EXPECT_EQ(p.parse("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query c-ip cs(User-Agent) sc-status", e),
            ParseResult::directive);
  ASSERT_EQ(p.parse("2019-09-03 10:13:36 10.0.2.15 GET /erp/conn.aspx proxy&port=3389&ip=127.0.0.1 10.0.2.17 Moz+5 200",
                    e),
            ParseResult::event);
  EXPECT_EQ(e.format, LogFormat::w3c);
  EXPECT_EQ(e.get(Field::url_original), "/erp/conn.aspx?proxy&port=3389&ip=127.0.0.1");
  EXPECT_EQ(e.get(Field::source_ip), "10.0.2.17");
  EXPECT_EQ(e.get(Field::http_status), "200");
  EXPECT_EQ(p.parse("#Fields: date time c-ip sc-status", e), ParseResult::directive);
  ASSERT_EQ(p.parse("2019-09-03 10:13:37 9.9.9.9 500", e), ParseResult::event);
  EXPECT_EQ(e.get(Field::source_ip), "9.9.9.9");
  EXPECT_EQ(e.get(Field::http_status), "500");
}

TEST(LogsWeb, ErrorLogsAndJsonLines) {
  auto a = parse("[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] File does not exist: /var/www/scripts/root.exe");
  EXPECT_EQ(a.format, LogFormat::web_error);
  EXPECT_EQ(a.get(Field::source_ip), "1.2.3.4");
  EXPECT_EQ(a.get(Field::log_level), "error");
  auto n = parse("2024/01/02 03:04:05 [crit] 12#0: *1 open() failed, client: 9.9.9.9, server: x");
  EXPECT_EQ(n.get(Field::source_ip), "9.9.9.9");
  auto j = parse("{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"source\":{\"ip\":\"5.5.5.5\"},\"url\":{\"original\":\"/x\"},"
                 "\"http\":{\"response\":{\"status_code\":404}}}");
  EXPECT_EQ(j.family, LogFamily::web);
  EXPECT_EQ(j.get(Field::source_ip), "5.5.5.5");
  EXPECT_EQ(j.get(Field::http_status), "404");
  EXPECT_EQ(j.time, epoch_seconds(2024, 1, 1, 0, 0, 0));
}

TEST(LogsWeb, GarbageIsUnparsedNotFatal) {
  LineParser p;
  Event e;
  EXPECT_EQ(p.parse(std::string("\x00\x01\xff garbage", 12), e), ParseResult::unparsed);
  EXPECT_EQ(p.parse("   ", e), ParseResult::blank);
  EXPECT_EQ(detect_format("1.2.3.4 - - [10/Oct/2004:04:20:13 -0400] \"GET / HTTP/1.0\" 200 1\n"), LogFormat::web_access);
  EXPECT_EQ(detect_format("Dec 10 06:55:46 LabSZ sshd[24200]: x\n"), LogFormat::syslog);
}

TEST(LogsDecode, EncodingsAttackersUse) {
  std::string out;
  EXPECT_FALSE(decode_web("/index.html?page=2", out));
  ASSERT_TRUE(decode_web("/scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir", out));
  EXPECT_EQ(out, "/scripts/../../winnt/system32/cmd.exe?/c dir");
  ASSERT_TRUE(decode_web("/files/%252e%252e%252fetc", out));
  EXPECT_EQ(out, "/files/../etc");
  ASSERT_TRUE(decode_web("/s?q=%3Cscript%3E&x=&#x3c;img&#62;&lt;b&gt;", out));
  EXPECT_EQ(out, "/s?q=<script>&x=<img><b>");
  ASSERT_TRUE(decode_web("${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://h/a}", out));
  EXPECT_EQ(out, "${jndi:ldap://h/a}");
  ASSERT_TRUE(decode_web("${${::-j}${::-n}${::-d}${::-i}:${::-r}mi://h}", out));
  EXPECT_EQ(out, "${jndi:rmi://h}");
  ASSERT_TRUE(decode_web("${${env:NaN:-j}ndi${env:NaN:-:}x}", out));
  EXPECT_EQ(out, "${jndi:x}");
  // A '+' is a space in a URL, not in a user agent.
  EXPECT_FALSE(decode_web("Mozilla/5.0 (compatible; +http://www.google.com/bot.html)", out, false));
}

TEST(LogsInputs, RotatedSetsReadOldestFirst) {
  EXPECT_EQ(rotation_key("/var/log/auth.log.2.gz").base, "/var/log/auth.log");
  EXPECT_GT(rotation_key("/var/log/auth.log.2.gz").rank, rotation_key("/var/log/auth.log.1").rank);
  EXPECT_GT(rotation_key("/var/log/auth.log.0").rank, rotation_key("/var/log/auth.log").rank);
  EXPECT_GT(rotation_key("/x/syslog-20240101").rank, rotation_key("/x/syslog-20240301").rank);
  EXPECT_EQ(rotation_key("/x/syslog-20240101.gz").base, "/x/syslog");
}

// A year-less date is in the year of the file's mtime unless that puts it after the file
// was last written: then it is from the year before (a log that crossed New Year, or a
// December log read in early December).
TEST(LogsSyslog, AYearLessDateAfterTheFilesMtimeBelongsToTheYearBefore) {
  auto at = [](YearReference ref, std::string_view line) {
    LineParser p(ref);
    Event e;
    EXPECT_EQ(p.parse(line, e), ParseResult::event) << line;
    return e.time;
  };
  auto early_december = year_reference(static_cast<std::time_t>(epoch_seconds(2026, 12, 3, 12, 0, 0)));
  EXPECT_EQ(at(early_december, "Dec 10 06:55:46 h sshd[1]: x"), epoch_seconds(2025, 12, 10, 6, 55, 46));
  EXPECT_EQ(at(early_december, "Dec  3 20:00:00 h sshd[1]: x"), epoch_seconds(2026, 12, 3, 20, 0, 0))
      << "local time ahead of the UTC mtime is still this year";
  EXPECT_EQ(at(early_december, "Nov 30 23:59:59 h sshd[1]: x"), epoch_seconds(2026, 11, 30, 23, 59, 59));
  auto new_year = year_reference(static_cast<std::time_t>(epoch_seconds(2027, 1, 1, 10, 0, 0)));
  EXPECT_EQ(at(new_year, "Dec 31 23:00:00 h sshd[1]: x"), epoch_seconds(2026, 12, 31, 23, 0, 0));
  EXPECT_EQ(at(new_year, "Jan  1 09:00:00 h sshd[1]: x"), epoch_seconds(2027, 1, 1, 9, 0, 0));
}
