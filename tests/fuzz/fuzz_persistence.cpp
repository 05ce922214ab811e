// Fuzz target: crontab, systemd unit, authorized_keys, udev, PAM, modprobe and env parsers.
#include <string_view>

#include "collect/persistence_parse.hpp"
#include "fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view s(reinterpret_cast<const char*>(data), size);
  using namespace vigil::collect;
  (void)parse_crontab(s, true);
  (void)parse_crontab(s, false);
  (void)parse_systemd_unit(s);
  (void)parse_authorized_keys(s);
  (void)parse_udev_runs(s);
  (void)parse_pam_modules(s);
  (void)parse_modprobe_installs(s);
  (void)parse_module_list(s);
  (void)parse_env_assignments(s, "LD_PRELOAD");
  (void)parse_command_lines(s);
  (void)parse_desktop_exec(s);
  return 0;
}

std::vector<std::string> fuzz_seeds() {
  return {"SHELL=/bin/sh\n*/5 * * * * root curl x | sh\n@reboot /tmp/.x\n",
          "[Service]\nExecStart=-/usr/bin/x\nEnvironment=LD_PRELOAD=/l.so\n[Timer]\nUnit=a.service\n",
          "command=\"/bin/x \\\"q\\\"\",no-pty ssh-rsa AAAA c\nssh-ed25519 AAAA\n",
          "ACTION==\"add\", RUN{program}+=\"/bin/y\"\n", "auth [success=1 default=ignore] pam_unix.so\n",
          "install x /bin/sh -c y\n", "export LD_PRELOAD=\"/a.so\"\n", "[Desktop Entry]\nExec=/x\n"};
}
