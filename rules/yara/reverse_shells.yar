// Reverse-shell one-liners in scripts, cron files and unit files: a shell whose input and
// output are a network connection.
rule vigil_reverse_shell_bash
{
    meta:
        id = "c3a7d2e4-1b6f-4d8a-9e05-7f2b1c4d6a81"
        severity = "high"
        description = "A bash reverse shell (bash -i with /dev/tcp)"
        attack = "T1059.004"
    strings:
        $dev_tcp = /(ba)?sh\s+-i\s*[>&0-9 ]*\/dev\/(tcp|udp)\/[A-Za-z0-9.:-]+\/[0-9]{1,5}/
        $exec_fd = /exec\s+[0-9]+<>\s*\/dev\/tcp\/[A-Za-z0-9.:-]+\/[0-9]{1,5}/
    condition:
        any of them
}

rule vigil_reverse_shell_netcat
{
    meta:
        id = "8e41b5c9-2d7a-4f63-b0e8-5a9c3d1f7e26"
        severity = "high"
        description = "A netcat or socat reverse shell (netcat running a shell with -e or -c, a FIFO piped from a shell into netcat, socat running a shell)"
        attack = "T1059.004 T1095"
    strings:
        $nc_e = /\bnc(at)?(\.traditional|\.openbsd)?\s+(-[a-z]+\s+)*-[a-z]*[ec]\s+\/bin\/(ba)?sh/
        $fifo = /mkfifo\s+\S+\s*;\s*cat\s+\S+\s*\|\s*\/bin\/(ba)?sh\s+-i\s*2>&1\s*\|\s*nc/
        $socat = /socat\s+(tcp|openssl)[-:][^\s]+\s+exec:['"]?(\/bin\/)?(ba)?sh/ nocase
    condition:
        any of them
}

rule vigil_reverse_shell_script
{
    meta:
        id = "4f9d6a2b-7c3e-4a15-8b90-e1d2c3b4a5f6"
        severity = "high"
        description = "A Python, Perl or PHP reverse shell (a socket made the shell's standard input and output)"
        attack = "T1059.006 T1059"
    strings:
        $py_socket = "socket.socket(" ascii
        $py_dup = /os\.dup2\(\s*\w+\.fileno\(\)\s*,\s*[012]\s*\)/
        $py_shell = /(subprocess\.call|pty\.spawn|os\.system)\(\s*\[?\s*["']\/bin\/(ba)?sh/
        $perl_socket = "use Socket" ascii
        $perl_open = /open\(\s*STD(IN|OUT)\s*,\s*["']>&\s*S/
        $perl_exec = /exec\(\s*["']\/bin\/(ba)?sh/
        $php_sock = /fsockopen\(\s*["']?[A-Za-z0-9.$_-]+["']?\s*,\s*[0-9$]/
        $php_exec = /(exec|shell_exec|system|passthru|proc_open|popen)\(\s*["']\/bin\/(ba)?sh\s+-i/
    condition:
        ($py_socket and $py_dup and $py_shell) or
        ($perl_socket and $perl_open and $perl_exec) or
        ($php_sock and $php_exec)
}
