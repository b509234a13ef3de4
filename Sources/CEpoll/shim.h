#ifndef WSGATE_CEPOLL_SHIM_H
#define WSGATE_CEPOLL_SHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>

// accept4 is only declared under _GNU_SOURCE, and there with a transparent-union
// address argument that Swift cannot pass nil to; declare the plain prototype.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);

// recv and send straight to the kernel, by the syscall instruction itself: glibc's wrappers are
// thread-cancellation points and switch asynchronous cancellation on and off around every call (about
// 60 instructions each), and even syscall(2) costs a variadic call plus errno, a thread-local reached
// through a function call from Swift. wsgate never cancels a thread, so on its per-message path it
// enters the kernel directly; the result is the byte count, or -errno.
#if defined(__x86_64__)
static inline long wsg_syscall6(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
    long result;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    register long r9 __asm__("r9") = a6;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return result;
}
#elif defined(__aarch64__)
static inline long wsg_syscall6(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
    register long x8 __asm__("x8") = number;
    register long x0 __asm__("x0") = a1;
    register long x1 __asm__("x1") = a2;
    register long x2 __asm__("x2") = a3;
    register long x3 __asm__("x3") = a4;
    register long x4 __asm__("x4") = a5;
    register long x5 __asm__("x5") = a6;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
    return x0;
}
#else
#include <errno.h>
static inline long wsg_syscall6(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
    long result = syscall(number, a1, a2, a3, a4, a5, a6);
    return result < 0 ? -errno : result;
}
#endif

static inline long wsg_recv(int fd, void *buffer, size_t length) {
    return wsg_syscall6(SYS_recvfrom, fd, (long)buffer, (long)length, 0, 0, 0);
}

// more != 0 adds MSG_MORE: the kernel holds a partial segment back, so a close(2) right after sends
// the FIN in it.
static inline long wsg_send_nosignal(int fd, const void *buffer, size_t length, int more) {
    return wsg_syscall6(SYS_sendto, fd, (long)buffer, (long)length, more ? (MSG_NOSIGNAL | MSG_MORE) : MSG_NOSIGNAL, 0, 0);
}
#endif
