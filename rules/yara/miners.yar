// Cryptocurrency miners: pool URLs and XMRig's configuration keys.
rule vigil_miner_pool_url
{
    meta:
        id = "a1c5e9b3-6d2f-4b7a-8c01-3e5f7a9b1d24"
        severity = "high"
        description = "A mining pool address (stratum+tcp://, stratum+ssl://)"
        attack = "T1496"
    strings:
        $stratum = /stratum\d?\+(tcp|ssl|tls):\/\/[A-Za-z0-9.-]+(:[0-9]{2,5})?/ nocase
    condition:
        $stratum
}

rule vigil_miner_xmrig_config
{
    meta:
        id = "d7b3f1a9-4e6c-4d28-9a5b-0c8e2f4a6b37"
        severity = "high"
        description = "An XMRig-style miner configuration (pools, donate-level, randomx)"
        attack = "T1496"
    strings:
        $pools = "\"pools\"" ascii
        $donate = "\"donate-level\"" ascii
        $randomx = "\"randomx\"" ascii
        $algo = /"algo"\s*:\s*"(rx|cn|randomx|cryptonight|argon2|kawpow|ghostrider)/ nocase
        $user = /"user"\s*:\s*"4[0-9AB][1-9A-HJ-NP-Za-km-z]{90,}/
        $nicehash = "\"nicehash\"" ascii
    condition:
        $pools and 2 of ($donate, $randomx, $algo, $user, $nicehash)
}
