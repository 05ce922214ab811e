// vigil watch's kernel side: every exec, fork and exit, and every IPv4/IPv6 connect, bind and
// accept, sent to user space through one ring buffer. CO-RE (vmlinux.h from the running
// kernel's BTF), attached only where these machines allow it: tp_btf (sched_process_*) and
// raw_tp (sys_enter/sys_exit) - no kprobes, no fentry, no tracefs needed. Events of vigil's own
// process are not sent; an event that finds the ring buffer full is counted in `dropped`.
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "process_events.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10

#if defined(__TARGET_ARCH_x86)
#define NR_CONNECT 42
#define NR_ACCEPT 43
#define NR_BIND 49
#define NR_ACCEPT4 288
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, orig_ax)
#elif defined(__TARGET_ARCH_arm64)
#define NR_CONNECT 203
#define NR_ACCEPT 202
#define NR_BIND 200
#define NR_ACCEPT4 242
#define SYSCALL_NR(regs) BPF_CORE_READ(regs, syscallno)
#else
#error "vigil's BPF program knows the socket system call numbers of x86_64 and arm64 only"
#endif

const volatile __u32 self_pid = 0;  // set by vigil before loading
__u64 dropped = 0;                   // events lost to a full ring buffer

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps");

// accept/accept4 in progress: the thread → where the kernel will write the peer's address.
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16384);
  __type(key, __u32);
  __type(value, __u64);
} accepting SEC(".maps");

#define SHORT_EVENT_SIZE __builtin_offsetof(struct vigil_event, args_len)

static __always_inline struct vigil_event *reserve(__u64 size) {
  struct vigil_event *e = bpf_ringbuf_reserve(&events, size, 0);
  if (!e) __sync_fetch_and_add(&dropped, 1);
  return e;
}

static __always_inline void fill_task(struct vigil_event *e, struct task_struct *task, __u32 kind) {
  e->kind = kind;
  e->pid = BPF_CORE_READ(task, tgid);
  e->tid = BPF_CORE_READ(task, pid);
  e->ppid = BPF_CORE_READ(task, real_parent, tgid);
  e->uid = BPF_CORE_READ(task, real_cred, uid.val);
  e->exit_code = 0;
  e->boot_ns = bpf_ktime_get_boot_ns();
  BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
  e->fd = -1;
  e->sock_type = 0;
  e->family = 0;
  e->port = 0;
  __builtin_memset(e->addr, 0, sizeof e->addr);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm) {
  if (task->tgid == self_pid) return 0;
  struct vigil_event *e = reserve(sizeof(struct vigil_event));
  if (!e) return 0;
  fill_task(e, task, VIGIL_EV_EXEC);
  bpf_probe_read_kernel_str(e->path, sizeof e->path, BPF_CORE_READ(bprm, filename));
  unsigned long start = BPF_CORE_READ(task, mm, arg_start);
  unsigned long end = BPF_CORE_READ(task, mm, arg_end);
  __u64 len = end > start ? end - start : 0;
  if (len > VIGIL_ARGS_LEN - 1) len = VIGIL_ARGS_LEN - 1;
  len &= VIGIL_ARGS_LEN - 1;  // the verifier's proof of the bound
  e->args_len = 0;
  if (bpf_probe_read_user(e->args, len, (const void *)start) == 0) e->args_len = (__u32)len;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child) {
  if (child->pid != child->tgid || parent->tgid == self_pid) return 0;  // a new thread, or ours
  struct vigil_event *e = reserve(SHORT_EVENT_SIZE);
  if (!e) return 0;
  fill_task(e, child, VIGIL_EV_FORK);
  e->ppid = parent->tgid;
  bpf_ringbuf_submit(e, 0);
  return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *task) {
  if (task->pid != task->tgid || task->tgid == self_pid) return 0;  // a thread's end, or ours
  struct vigil_event *e = reserve(SHORT_EVENT_SIZE);
  if (!e) return 0;
  fill_task(e, task, VIGIL_EV_EXIT);
  e->exit_code = BPF_CORE_READ(task, exit_code);
  bpf_ringbuf_submit(e, 0);
  return 0;
}

// The socket type behind a descriptor of the current process (0 when it cannot be read).
static __always_inline __u16 socket_type(struct task_struct *task, int fd) {
  if (fd < 0) return 0;
  struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
  struct file *file = 0;
  if (bpf_probe_read_kernel(&file, sizeof file, &fds[fd & 0xffff]) != 0 || !file) return 0;
  struct socket *sock = BPF_CORE_READ(file, private_data);
  return sock ? BPF_CORE_READ(sock, type) : 0;
}

// Sends a socket event for the address at `uaddr` (user memory) when it is IPv4 or IPv6.
static __always_inline void socket_event(__u32 kind, int fd, const void *uaddr) {
  if (!uaddr) return;
  struct sockaddr_in6 sa = {};
  if (bpf_probe_read_user(&sa, sizeof sa, uaddr) != 0) return;
  if (sa.sin6_family != AF_INET && sa.sin6_family != AF_INET6) return;
  struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
  if (task->tgid == self_pid) return;
  struct vigil_event *e = reserve(SHORT_EVENT_SIZE);
  if (!e) return;
  fill_task(e, task, kind);
  e->fd = fd;
  e->sock_type = socket_type(task, fd);
  e->family = sa.sin6_family;
  e->port = __builtin_bswap16(sa.sin6_port);
  if (sa.sin6_family == AF_INET) {
    struct sockaddr_in *in = (struct sockaddr_in *)&sa;
    __builtin_memcpy(e->addr, &in->sin_addr, 4);
  } else {
    __builtin_memcpy(e->addr, &sa.sin6_addr, 16);
  }
  bpf_ringbuf_submit(e, 0);
}

SEC("raw_tp/sys_enter")
int on_sys_enter(struct bpf_raw_tracepoint_args *ctx) {
  long id = ctx->args[1];
  if (id != NR_CONNECT && id != NR_BIND && id != NR_ACCEPT && id != NR_ACCEPT4) return 0;
  struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
  int fd = (int)PT_REGS_PARM1_CORE(regs);
  const void *uaddr = (const void *)PT_REGS_PARM2_CORE(regs);
  if (id == NR_ACCEPT || id == NR_ACCEPT4) {
    __u32 tid = (__u32)bpf_get_current_pid_tgid();
    __u64 where = (__u64)uaddr;
    if (uaddr) bpf_map_update_elem(&accepting, &tid, &where, BPF_ANY);
    return 0;
  }
  socket_event(id == NR_CONNECT ? VIGIL_EV_CONNECT : VIGIL_EV_BIND, fd, uaddr);
  return 0;
}

SEC("raw_tp/sys_exit")
int on_sys_exit(struct bpf_raw_tracepoint_args *ctx) {
  struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
  long id = SYSCALL_NR(regs);
  if (id != NR_ACCEPT && id != NR_ACCEPT4) return 0;
  __u32 tid = (__u32)bpf_get_current_pid_tgid();
  __u64 *where = bpf_map_lookup_elem(&accepting, &tid);
  if (!where) return 0;
  const void *uaddr = (const void *)*where;
  bpf_map_delete_elem(&accepting, &tid);
  long ret = ctx->args[1];
  if (ret >= 0) socket_event(VIGIL_EV_ACCEPT, (int)ret, uaddr);
  return 0;
}
