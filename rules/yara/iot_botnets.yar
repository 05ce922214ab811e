// The Mirai and Gafgyt (Bashlite) botnet families and their many copies on Linux hosts.
rule vigil_mirai
{
    meta:
        id = "d9f1b3c5-7e9a-4b1c-8d3e-5b7c9d1e3f64"
        severity = "critical"
        description = "A Mirai botnet program (its attack and scanner strings)"
        attack = "T1498 T1110.001"
    strings:
        $busybox = "/bin/busybox MIRAI" ascii
        $tsource = "TSource Engine Query" ascii
        $watchdog = "/dev/watchdog" ascii
        $cdn = "POST /cdn-cgi/" ascii
        $table = "LCOGQGPTGP" ascii
        $killer = "/proc/net/tcp" ascii
        $enable = "enable\x00system\x00shell\x00sh" ascii
    condition:
        uint32(0) == 0x464c457f and ($busybox or $table or 4 of them)
}

rule vigil_gafgyt
{
    meta:
        id = "e0a2c4d6-8f0b-4c2d-9e4f-6c8d0e2f4a73"
        severity = "critical"
        description = "A Gafgyt (Bashlite, Qbot) botnet program (its command strings in an ELF file)"
        attack = "T1498"
    strings:
        $c1 = "LOLNOGTFO" ascii
        $c2 = "KILLATTK" ascii
        $c3 = "GETLOCALIP" ascii
        $c4 = "HTTPFLOOD" ascii
        $c5 = "SCANNER ON" ascii
        $c6 = "PONG!" ascii
        $c7 = "JUNKFLOOD" ascii
        $c8 = "HOLDFLOOD" ascii
    condition:
        uint32(0) == 0x464c457f and 3 of them
}
