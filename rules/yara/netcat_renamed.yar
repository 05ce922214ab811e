// A netcat, ncat or socat program under another name: the seeds' "netcat renamed msupdate
// listening on port 3349". The program itself is no crime; hiding what it is is.
rule vigil_netcat_renamed
{
    meta:
        id = "5b0e7c1a-9f3d-4e2b-8a61-2d7c4f9e0b13"
        severity = "high"
        description = "A netcat, ncat or socat program under another name"
        attack = "T1036.003 T1095"
        reference = "https://attack.mitre.org/techniques/T1036/003/"
    strings:
        $trad1 = "local listen fuxored"
        $trad2 = "listen for inbound:\tnc -l -p port"
        $openbsd = "usage: nc [-46C"
        $ncat1 = "https://nmap.org/ncat"
        $ncat2 = "Ncat: Version"
        $socat = "socat by Gerhard Rieger"
    condition:
        uint32(0) == 0x464c457f and any of them and
        not filename matches /^(nc|netcat|ncat|socat)([.-](openbsd|traditional|[0-9.]+))?$/
}
