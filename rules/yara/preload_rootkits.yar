// LD_PRELOAD rootkits: a shared library that hooks libc to hide files, processes and
// connections (Jynx, Azazel, libprocesshider, Father, Bedevil and their copies).
rule vigil_preload_rootkit_known
{
    meta:
        id = "b5d7f9a1-3c5e-4f7a-9b1d-3f5a7c9e1b46"
        severity = "critical"
        description = "A known LD_PRELOAD rootkit (Jynx, Azazel, libprocesshider, Father, Bedevil)"
        attack = "T1574.006 T1014"
    strings:
        $azazel = "HIDE_THIS_SHELL" ascii
        $jynx = "XXXXXXXXXXX_JYNX" ascii
        $processhider = "process_to_filter" ascii
        $father = "father_root" ascii
        $bedevil = "BDVL_" ascii
    condition:
        uint32(0) == 0x464c457f and any of them
}

rule vigil_preload_rootkit_hooks
{
    meta:
        id = "c6e8a0b2-4d6f-4a8b-8c2e-4a6b8d0f2c55"
        severity = "medium"
        description = "A shared library that looks up libc's own readdir and names ld.so.preload: the shape of an LD_PRELOAD rootkit"
        attack = "T1574.006"
    strings:
        $preload = "ld.so.preload" ascii
        $dlsym = "dlsym" ascii
        $readdir = "readdir" ascii
        $proc = "/proc/" ascii
    condition:
        uint32(0) == 0x464c457f and uint16(16) == 3 and all of them and filesize < 2MB
}
