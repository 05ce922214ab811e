// Web shells: request data handed to eval or to a command.
rule vigil_webshell_php
{
    meta:
        id = "e2f4a6c8-1b3d-4e5f-9a7b-2c4d6e8f0a19"
        severity = "high"
        description = "A PHP web shell (request data passed to eval, assert or a command)"
        attack = "T1505.003"
    strings:
        $php = "<?php" nocase
        $short = "<?=" ascii
        $eval_req = /(eval|assert|create_function)\s*\(\s*(base64_decode|gzinflate|str_rot13|gzuncompress|stripslashes)?\s*\(?\s*\$_(POST|GET|REQUEST|COOKIE|SERVER)\s*\[/ nocase
        $cmd_req = /(system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec)\s*\(\s*\$_(POST|GET|REQUEST|COOKIE)\s*\[/ nocase
        $backtick = /`\s*\$_(POST|GET|REQUEST)\s*\[/ nocase
        $preg_e = /preg_replace\s*\(\s*["'].{1,40}\/e["']\s*,\s*\$_(POST|GET|REQUEST)/ nocase
    condition:
        ($php or $short) and any of ($eval_req, $cmd_req, $backtick, $preg_e)
}

rule vigil_webshell_jsp
{
    meta:
        id = "f1e3d5c7-2a4b-4c6d-8e0f-1a3b5c7d9e28"
        severity = "high"
        description = "A JSP web shell (a request parameter run as a command)"
        attack = "T1505.003"
    strings:
        $exec = /Runtime\.getRuntime\(\)\.exec\(\s*request\.getParameter\(/
        $pb = /new\s+ProcessBuilder\(.{0,80}request\.getParameter\(/
    condition:
        any of them
}

rule vigil_webshell_aspx
{
    meta:
        id = "0a2b4c6d-8e1f-4a3b-9c5d-7e9f1a3b5c37"
        severity = "high"
        description = "An ASP.NET web shell (a request value run as a process)"
        attack = "T1505.003"
    strings:
        $page = "<%@ Page" nocase
        $start = /Process\.Start\(|ProcessStartInfo\(/
        $req = /Request(\.Form|\.QueryString)?\[\s*"/
    condition:
        $page and $start and $req
}
