// The start-up content patterns as constant data: read by the library, and by the build
// step that compiles them into a Hyperscan database once (tools/compile_script_patterns.cpp).
#pragma once

#include <hs/hs.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "collect/script_patterns.hpp"

namespace vigil::collect::script_pattern_data {

// Where a program name stands at the start of a command: the line's start, after a command
// separator or a command substitution, or after a word that runs the next one.
#define CMD_START R"((?:^|[;&|(`]\s*|\$\(\s*|\b(?:exec|nohup|setsid|sudo|env|nice|command|then|do|else)\s+))"
#define SHELL R"((?:\S*/)?(?:ba|da|z|k|c|tc|mk)?sh\b)"
#define INTERP R"((?:\S*/)?(?:python[0-9.]*|perl|ruby|php[0-9.]*|node|lua[0-9.]*)\b)"
#define TEMP R"(/(?:tmp|var/tmp|dev/shm)/)"

inline constexpr auto kPatterns = std::to_array<ScriptPattern>({
    // A shell on the network.
    {"dev-tcp", ScriptTrait::reverse_shell, R"(/dev/(?:tcp|udp)/[^/\s]+/[0-9]+)",
     "redirects a shell to a /dev/tcp network connection"},
    {"netcat-exec", ScriptTrait::reverse_shell,
     R"(\b(?:nc|ncat|netcat|pwncat|cryptcat)(?:\.traditional|\.openbsd)?\s[^\n;|&]*(?:\s-[a-zA-Z]*[ec]\s*/|\s-[ec]\s|\s--(?:sh-)?exec\b))",
     "netcat executes a program for its peer"},
    {"exec-shell-port", ScriptTrait::reverse_shell,
     R"(\s-e\s+(?:/usr)?/bin/(?:ba|da|z)?sh\b[^\n]*\s[0-9]{2,5}\b|\s[0-9]{2,5}\s[^\n]*-e\s+(?:/usr)?/bin/(?:ba|da|z)?sh\b)",
     "serves a shell with -e /bin/sh on a port (a renamed netcat)"},
    {"socat-exec", ScriptTrait::reverse_shell, R"((?i)\bsocat\b[^\n]*\b(?:exec|system):)",
     "socat connects the network to a program"},
    {"fifo-shell", ScriptTrait::reverse_shell, R"(\bmkfifo\b[^\n]*\b(?:nc|ncat|netcat|telnet|openssl)\b)",
     "a named pipe loops a shell through a network tool"},
    {"script-socket-shell", ScriptTrait::reverse_shell,
     R"((?i)\b(?:python[0-9.]*|perl|ruby|php[0-9.]*|lua[0-9.]*|node)\b[^\n]*(?:socket|fsockopen|net\.connect)[^\n]*(?:pty\.spawn|subprocess|os\.dup2|/bin/(?:ba)?sh|proc_open|\bexec\s*\(|sh -i|child_process))",
     "a scripting one-liner wires a socket to a shell"},
    {"openssl-shell", ScriptTrait::reverse_shell, R"(\bopenssl\s+s_client\b[^\n]*\|\s*)" SHELL,
     "an encrypted openssl connection feeds a shell"},
    {"telnet-shell", ScriptTrait::reverse_shell, R"(\btelnet\b[^\n]*\|\s*)" SHELL R"([^\n]*\|\s*telnet\b)",
     "two telnet connections carry a shell"},
    // A relay started from a start-up item.
    {"netcat-start", ScriptTrait::netcat,
     CMD_START R"((?:\S*/)?(?:nc|ncat|netcat|socat|pwncat|cryptcat)(?:\.traditional|\.openbsd)?\s)",
     "starts a netcat-like relay"},
    // Download and run.
    {"fetch-pipe-shell", ScriptTrait::download_exec,
     R"(\b(?:curl|wget|fetch|tftp|lwp-download)\b[^\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:)" SHELL "|" INTERP ")",
     "downloads a script and pipes it into an interpreter"},
    {"fetch-chmod", ScriptTrait::download_exec,
     R"(\b(?:curl|wget|tftp)\b[^\n]*\bchmod\s+(?:[ugoa]*\+[rws]*x|0?[0-7]{0,2}[1357][0-7]{0,2}\b))",
     "downloads a file and makes it executable"},
    {"fetch-substitution", ScriptTrait::download_exec,
     R"((?:\b(?:ba|da|z)?sh|\bsource|\beval|\b(?:ba|da|z)?sh\s+-c)\s+["']?[<$]\(\s*(?:curl|wget)\b)",
     "runs what a download prints"},
    // Decode and run.
    {"base64-pipe-shell", ScriptTrait::decode_exec,
     R"(\bbase(?:64|32)\s+(?:-d|--decode|-D)\b[^\n]*\|\s*(?:sudo\s+)?(?:)" SHELL "|" INTERP ")",
     "decodes a hidden payload and pipes it into an interpreter"},
    {"eval-decode", ScriptTrait::decode_exec,
     R"(\beval\b[^\n]*\$\([^\n]*\b(?:base64|base32|xxd|openssl|gunzip|zcat|rev)\b)",
     "evaluates the output of a decoder"},
    {"xxd-pipe-shell", ScriptTrait::decode_exec,
     R"(\bxxd\s+(?:-r\s+-p|-p\s+-r|-rp|-pr)\b[^\n]*\|\s*)" SHELL,
     "turns hex back into a script and runs it"},
    {"script-exec-decode", ScriptTrait::decode_exec,
     R"((?:\bexec|\beval|\bassert)\s*\(\s*(?:__import__\s*\(\s*['"](?:base64|zlib|codecs|marshal)|base64\.b64decode|zlib\.decompress|codecs\.decode|marshal\.loads|bytes\.fromhex|base64_decode|gzinflate|gzuncompress|str_rot13|decode_base64|hex2bin)\b)",
     "a script evaluates code it decodes first"},
    {"perl-eval-unpack", ScriptTrait::decode_exec, R"(\beval\s+unpack\b)", "Perl evaluates code it unpacks first"},
    {"hex-escape-payload", ScriptTrait::decode_exec, R"((?:\\x[0-9a-fA-F]{2}){24})",
     "carries a payload written as a run of hex escapes"},
    // Programs in temporary directories.
    {"temp-program", ScriptTrait::temp_exec,
     R"((?:)" CMD_START R"(|\b(?:(?:\S*/)?(?:ba|da|z)?sh|python[0-9.]*|perl|source)\s+(?:-c\s+)?|^\s*\.\s+)["']?)" TEMP,
     "runs a program from a temporary directory"},
    {"temp-chmod", ScriptTrait::temp_exec,
     R"(\bchmod\s+(?:-\S+\s+)*(?:[ugoa]*\+[rws]*x[rws]*|0?7[57][57])\s+["']?)" TEMP,
     "makes a file in a temporary directory executable", true},
    // History off.
    {"unset-histfile", ScriptTrait::history_off, R"(\bunset\s+(?:-v\s+)?(?:[A-Z_]+\s+)*HISTFILE\b)",
     "unsets HISTFILE, so the shell keeps no history"},
    {"histfile-null", ScriptTrait::history_off, R"(\bHISTFILE=["']?/dev/null\b)",
     "points HISTFILE at /dev/null"},
    {"histsize-zero", ScriptTrait::history_off, R"(\bHIST(?:FILE)?SIZE=["']?0["']?(?:\s|;|$))",
     "sets the history size to 0"},
    {"set-o-history", ScriptTrait::history_off, R"(\bset\s+\+o\s+history\b)", "switches history off (set +o history)"},
    {"histignore-all", ScriptTrait::history_off, R"(\bHISTIGNORE=["']?\*["']?(?:\s|;|$))",
     "makes the shell ignore every command (HISTIGNORE=*)"},
    {"history-to-null", ScriptTrait::history_off,
     R"(\bln\s+(?:-\S+\s+)*/dev/null\s+\S*\.(?:bash_|zsh_|sh_)?history\b)",
     "links a history file to /dev/null"},
    {"history-clear", ScriptTrait::history_off, R"(\bhistory\s+-c\b)", "clears the shell history"},
    // Web shells: server-side code handing a request's input to an evaluator or a shell.
    {"php-request-exec", ScriptTrait::web_shell,
     R"(\b(?:eval|assert|system|passthru|shell_exec|exec|popen|proc_open|pcntl_exec|create_function|call_user_func(?:_array)?)\s*\(\s*(?:@\s*)?(?:(?:stripslashes|base64_decode|trim|urldecode|str_rot13)\s*\(\s*)?\$_(?:GET|POST|REQUEST|COOKIE|SERVER|FILES)\b)",
     "PHP runs what a web request sends"},
    {"php-backtick-request", ScriptTrait::web_shell, R"(`\s*\$_(?:GET|POST|REQUEST|COOKIE)\b)",
     "PHP runs a web request's input in a shell (backticks)"},
    {"php-variable-function", ScriptTrait::web_shell,
     R"(\$_(?:GET|POST|REQUEST|COOKIE)\s*\[[^\]\n]{1,40}\]\s*\(\s*\$_(?:GET|POST|REQUEST|COOKIE)\b)",
     "PHP calls a function a web request names, with the request's arguments"},
    {"php-preg-e", ScriptTrait::web_shell, R"(\bpreg_replace\s*\(\s*['"][^'"\n]{0,200}/[a-df-zA-Z]*e[a-zA-Z]*['"])",
     "preg_replace with /e evaluates its replacement as PHP"},
    {"jsp-request-exec", ScriptTrait::web_shell,
     R"((?:Runtime\.getRuntime\(\)\.exec|new\s+ProcessBuilder)\s*\([^\n]{0,200}request\.getParameter)",
     "JSP runs a command a web request sends"},
    {"asp-request-eval", ScriptTrait::web_shell,
     R"((?i)\b(?:eval|execute|executeglobal)\s*\(?\s*request(?:\.form|\.querystring|\.item)?\s*[\(\[])",
     "ASP evaluates what a web request sends"},
    {"webshell-marker", ScriptTrait::web_shell,
     R"(\b(?:FilesMan|c99shell|r57shell|b374k|IndoXploit|Weevely|antSword|phpspy)\b)",
     "carries the name of a published web shell"},
});

#undef CMD_START
#undef SHELL
#undef INTERP
#undef TEMP

// FNV-1a over every id and regex: names the pattern list a compiled database was made from.
constexpr std::uint64_t patterns_hash() {
  std::uint64_t h = 14695981039346656037ull;
  for (const auto& p : kPatterns)
    for (auto part : {p.id, p.regex})
      for (char c : part) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

// The whole list compiled into one block-mode database (pattern i reports id i); nullptr and
// the reason when Hyperscan refuses it.
inline hs_database_t* compile(const hs_platform_info_t* platform, std::string& error) {
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  for (std::size_t i = 0; i < kPatterns.size(); ++i) {
    exprs.push_back(kPatterns[i].regex.data());
    flags.push_back(HS_FLAG_MULTILINE);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                       platform, &db, &err) != HS_SUCCESS) {
    int at = err ? err->expression : -1;
    error = "script pattern " + (at >= 0 ? std::string(kPatterns[static_cast<std::size_t>(at)].id) : "?") + ": " +
            (err && err->message ? err->message : "unknown error");
    hs_free_compile_error(err);
    return nullptr;
  }
  return db;
}

// Written at build time by tools/compile_script_patterns.cpp: the serialized database for a
// generic x86-64 (any CPU runs it) and the patterns_hash() it was made from.
extern const char kDatabase[];
extern const std::size_t kDatabaseSize;
extern const std::uint64_t kDatabaseHash;

}  // namespace vigil::collect::script_pattern_data
