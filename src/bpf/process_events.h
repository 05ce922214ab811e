/* The events the kernel-side program (process_events.bpf.c) sends to vigil watch through its
 * ring buffer; one layout shared by both sides, plain C so clang -target bpf compiles it. */
#ifndef VIGIL_BPF_PROCESS_EVENTS_H
#define VIGIL_BPF_PROCESS_EVENTS_H

#define VIGIL_COMM_LEN 16
#define VIGIL_PATH_LEN 256
#define VIGIL_ARGS_LEN 512

enum vigil_event_kind {
  VIGIL_EV_EXEC = 1,
  VIGIL_EV_FORK = 2,
  VIGIL_EV_EXIT = 3,
  VIGIL_EV_CONNECT = 4,
  VIGIL_EV_BIND = 5,
  VIGIL_EV_ACCEPT = 6,
};

struct vigil_event {
  unsigned int kind;      /* enum vigil_event_kind */
  unsigned int pid;       /* the process (thread group id) */
  unsigned int tid;       /* the thread */
  unsigned int ppid;      /* its parent process (fork: the parent that forked) */
  unsigned int uid;
  int exit_code;          /* exit: the wait status */
  unsigned long long boot_ns; /* when, nanoseconds since boot (bpf_ktime_get_boot_ns) */
  char comm[VIGIL_COMM_LEN];
  /* connect, bind, accept */
  int fd;                 /* the socket's descriptor (accept: the new one) */
  unsigned short sock_type; /* SOCK_STREAM, SOCK_DGRAM, ... (0 when unknown) */
  unsigned short family;  /* AF_INET or AF_INET6 */
  unsigned short port;    /* host byte order */
  unsigned char addr[16]; /* IPv4 in the first four bytes */
  /* exec: the file the kernel ran, and its arguments separated by NUL bytes (truncated) */
  unsigned int args_len;
  char path[VIGIL_PATH_LEN];
  char args[VIGIL_ARGS_LEN];
};

#endif
