"""A private fail2ban configuration for the benchmarks: /etc/fail2ban copied into DIR/f2b
without its jail.d, logging to DIR/fail2ban.log with an in-memory database, and one sshd jail
on LOGPATH with vigil's brute-force threshold (maxretry 5 in findtime 600), the polling
backend, and the ban action given. Returns the command line that starts fail2ban-server on it
in the foreground, and the log it writes."""
import os
import shutil


def fail2ban_server(work, logpath, action):
    conf = os.path.join(work, "f2b")
    if os.path.exists(conf):
        shutil.rmtree(conf)
    shutil.copytree("/etc/fail2ban", conf)
    shutil.rmtree(os.path.join(conf, "jail.d"), ignore_errors=True)
    os.makedirs(os.path.join(conf, "jail.d"))
    log = os.path.join(work, "fail2ban.log")
    if os.path.exists(log):
        os.remove(log)
    sock, pid = os.path.join(work, "f2b.sock"), os.path.join(work, "f2b.pid")
    with open(os.path.join(conf, "fail2ban.local"), "w") as f:
        f.write("[Definition]\nloglevel = INFO\nlogtarget = %s\ndbfile = :memory:\nsocket = %s\npidfile = %s\n"
                % (log, sock, pid))
    with open(os.path.join(conf, "jail.local"), "w") as f:
        f.write("[DEFAULT]\nbackend = polling\nignoreself = false\nmaxretry = 5\nfindtime = 600\nbantime = 3600\n\n"
                "[sshd]\nenabled = true\nport = ssh\nlogpath = %s\nbackend = polling\n%s\n" % (logpath, action))
    return ["fail2ban-server", "-f", "-x", "-c", conf, "-s", sock, "-p", pid], log
