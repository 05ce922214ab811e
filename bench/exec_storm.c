// bench/watch_events.sh's exec storm: starts PROGRAM with the argument "<PREFIX><n>" at RATE
// processes per second for SECONDS (posix_spawn, children reaped as they end), and prints one
// line per process to stdout - "n start_ns" (CLOCK_REALTIME) - so the script can match each
// event a tool reports to the moment the process was started. Says how many it started, and
// the rate reached, on stderr.
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char** environ;

static long long now_ns(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char** argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: exec_storm PROGRAM PREFIX RATE SECONDS\n");
    return 2;
  }
  const char* program = argv[1];
  const char* prefix = argv[2];
  argv += 1;
  double rate = atof(argv[2]), seconds = atof(argv[3]);
  long total = (long)(rate * seconds);
  long long start = now_ns(CLOCK_MONOTONIC);
  long started = 0, failed = 0;
  char arg[64];
  for (long n = 0; n < total; ++n) {
    long long due = start + (long long)(n * 1e9 / rate);
    long long now;
    while ((now = now_ns(CLOCK_MONOTONIC)) < due) {
      if (due - now > 200000) usleep((useconds_t)((due - now) / 2000));
    }
    snprintf(arg, sizeof arg, "%s%ld", prefix, n);
    char* child_argv[] = {(char*)program, arg, NULL};
    pid_t pid;
    long long at = now_ns(CLOCK_REALTIME);
    if (posix_spawn(&pid, program, NULL, NULL, child_argv, environ) == 0) {
      ++started;
      printf("%ld %lld\n", n, at);
    } else {
      ++failed;
    }
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
  }
  while (wait(NULL) > 0) {
  }
  double took = (now_ns(CLOCK_MONOTONIC) - start) / 1e9;
  fprintf(stderr, "started %ld (failed %ld) in %.2f s: %.0f/s\n", started, failed, took, started / took);
  return 0;
}
